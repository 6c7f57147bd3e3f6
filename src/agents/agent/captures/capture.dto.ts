import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { IsInterfaceName } from '../../../common/names';
import { SNAPLEN_MAX_BYTES, SNAPLEN_MIN_BYTES } from './tcpdump/tcpdump-args';

export class PortRangeDto {
  @IsInt()
  @Min(1)
  @Max(65535)
  from!: number;

  @IsInt()
  @Min(1)
  @Max(65535)
  to!: number;
}

export class MigrationFilterDto {
  @ValidateNested()
  @Type(() => PortRangeDto)
  migrationPorts!: PortRangeDto;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(16)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(65535, { each: true })
  rpcPorts?: number[];
}

export class StartCaptureDto {
  @IsInterfaceName()
  interface!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => MigrationFilterDto)
  filter?: MigrationFilterDto;

  @IsOptional()
  @IsInt()
  @Min(SNAPLEN_MIN_BYTES)
  @Max(SNAPLEN_MAX_BYTES)
  snaplenBytes?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(16_384)
  maxSizeMiB?: number;

  @IsOptional()
  @IsBoolean()
  nanosecond?: boolean;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86_400)
  maxDurationSec?: number;
}
