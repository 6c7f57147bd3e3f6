import { IsIn, IsInt, IsIP, IsOptional, Max, Min } from 'class-validator';
import { IsInterfaceName } from '../../../common/names';
import { PROBE_INTERVAL_MAX_MS, PROBE_INTERVAL_MIN_MS } from './fping-args';

export class StartProbeDto {
  @IsIP()
  target!: string;

  @IsOptional()
  @IsInt()
  @Min(PROBE_INTERVAL_MIN_MS)
  @Max(PROBE_INTERVAL_MAX_MS)
  intervalMs?: number;

  @IsInterfaceName()
  interface!: string;

  @IsOptional()
  @IsIn(['icmp'])
  kind?: 'icmp';

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  tcpEchoPort?: number;

  @IsOptional()
  @IsInt()
  @Min(16)
  @Max(1400)
  payloadBytes?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86_400)
  maxDurationSec?: number;
}
