import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsIP,
  IsOptional,
  IsPositive,
  Max,
  Min,
  Validate,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import type { PortRange } from '../core/analysis-options';

const PORT_RANGE = /^(\d{1,5})-(\d{1,5})$/;

/** "49152-49215" → {from, to}; undefined when the text is not a valid inclusive range of TCP ports. */
export function parsePortRange(text: string): PortRange | undefined {
  const m = PORT_RANGE.exec(text);
  if (m === null) return undefined;
  const from = Number(m[1]);
  const to = Number(m[2]);
  return from >= 1 && to <= 65535 && from <= to ? { from, to } : undefined;
}

@ValidatorConstraint({ name: 'portRange' })
class PortRangeConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && parsePortRange(value) !== undefined;
  }

  defaultMessage(): string {
    return 'migrationPorts must be FROM-TO with 1 ≤ FROM ≤ TO ≤ 65535, e.g. 49152-49215';
  }
}

/** Form fields beside the uploaded captures; the same knobs as `livemig analyze`. */
export class AnalysisUploadDto {
  @ApiPropertyOptional({ example: '203.0.113.10', description: 'the guest IP; otherwise the IP that received the most echo requests' })
  @IsOptional()
  @IsIP(undefined, { message: 'vmIp must be an IPv4 or IPv6 address' })
  vmIp?: string;

  @ApiPropertyOptional({ example: '49152-49215' })
  @IsOptional()
  @Validate(PortRangeConstraint)
  migrationPorts?: string;

  @ApiPropertyOptional({ example: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsPositive()
  @Max(60_000)
  probeIntervalMs?: number;

  @ApiPropertyOptional({ example: 100, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(60_000)
  timelineMs?: number;
}
