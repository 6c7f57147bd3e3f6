import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { CONVERGENCE_PRESETS } from '../core';

const PRESET_NAMES = Object.keys(CONVERGENCE_PRESETS);

export class DrainHostDto {
  @ApiProperty({ description: 'true: only plan (200 with the plan); false: start the drain (202 with the drain record)' })
  @IsBoolean()
  dryRun!: boolean;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'only these hosts may receive (backup nodes); default any enabled host with an answering agent',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsUUID('all', { each: true })
  destinations?: string[];

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 50,
    default: 2,
    description: 'moves of this drain running at once; the engine limits still apply',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50)
  maxParallel?: number;

  @ApiPropertyOptional({ enum: PRESET_NAMES, default: 'livemig-default', description: 'convergence policy of every move' })
  @IsOptional()
  @IsIn(PRESET_NAMES)
  policyName?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'overrides of the named policy for every move' })
  @IsOptional()
  @IsObject()
  policy?: Record<string, unknown>;
}

export class CancelDrainDto {
  @ApiPropertyOptional({ default: false, description: 'also abort moves whose migration is queued or copying; otherwise they finish' })
  @IsOptional()
  @IsBoolean()
  abortRunning?: boolean;
}
