import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsIP, IsOptional, IsPositive, Matches, Max, Min } from 'class-validator';

/** Form fields beside the uploaded captures; the same knobs as `livemig analyze`. */
export class AnalysisUploadDto {
  @ApiPropertyOptional({ example: '203.0.113.10', description: 'the guest IP; otherwise the IP that received the most echo requests' })
  @IsOptional()
  @IsIP(undefined, { message: 'vmIp must be an IPv4 or IPv6 address' })
  vmIp?: string;

  @ApiPropertyOptional({ example: '49152-49215' })
  @IsOptional()
  @Matches(/^\d{1,5}-\d{1,5}$/, { message: 'migrationPorts must be FROM-TO, e.g. 49152-49215' })
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
