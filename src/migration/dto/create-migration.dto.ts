import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsUUID } from 'class-validator';
import { CONVERGENCE_PRESETS } from '../core';

const PRESET_NAMES = Object.keys(CONVERGENCE_PRESETS);

export class CreateMigrationDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  instanceId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'omit to let the scheduler pick: enabled hosts with room, most free RAM first' })
  @IsOptional()
  @IsUUID('all')
  destinationHostId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'a precondition: the host the caller expects the instance on; 409 (reason "moved") if it is elsewhere, checked again as the migration is recorded',
  })
  @IsOptional()
  @IsUUID('all')
  sourceHostId?: string;

  @ApiPropertyOptional({ enum: PRESET_NAMES, default: 'livemig-default', description: 'named convergence policy' })
  @IsOptional()
  @IsIn(PRESET_NAMES)
  policyName?: string;

  @ApiPropertyOptional({
    description:
      'per-migration overrides of the named policy, e.g. {"maxDowntimeMs": 300, "completionTimeoutSecPerGiB": 60, "timeoutAction": "abort"}',
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  @IsObject()
  policy?: Record<string, unknown>;
}
