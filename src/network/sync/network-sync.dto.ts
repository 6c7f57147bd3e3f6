import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class NetworkDriftDto {
  @ApiProperty({ example: 'fdb' })
  kind!: string;

  @ApiProperty({ example: 'fa:16:3e:00:00:01 dev vxlan-1000 dst 198.51.100.131' })
  subject!: string;

  @ApiProperty({ enum: ['missing', 'extra', 'different'] })
  found!: 'missing' | 'extra' | 'different';

  @ApiPropertyOptional()
  detail?: string;

  @ApiProperty()
  repaired!: boolean;

  @ApiPropertyOptional()
  error?: string;
}

export class HeldNetworkStateDto {
  @ApiProperty({ enum: ['older-revision', 'other-generation'] })
  reason!: 'older-revision' | 'other-generation';

  @ApiProperty({ nullable: true, type: String, description: 'the generation of the state the agent holds' })
  heldGeneration!: string | null;

  @ApiProperty()
  heldRevision!: number;
}

export class HostSyncResultDto {
  @ApiProperty({ example: 'compute-a' })
  host!: string;

  @ApiProperty({ format: 'uuid' })
  hostId!: string;

  @ApiProperty({ description: 'the agent applied the state' })
  ok!: boolean;

  @ApiProperty()
  durationMs!: number;

  @ApiProperty({ description: 'revision pushed' })
  revision!: number;

  @ApiProperty({ type: [NetworkDriftDto], description: 'what the agent found different and repaired' })
  drift!: NetworkDriftDto[];

  @ApiPropertyOptional({ description: 'why the host was not updated' })
  error?: string;

  @ApiPropertyOptional({ type: () => HeldNetworkStateDto, description: 'the agent refused the state: what it holds instead' })
  heldBy?: HeldNetworkStateDto;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'a take-over replaced this generation on the agent' })
  tookOverFrom?: string | null;
}

export class NetworkSyncReportDto {
  @ApiProperty()
  revision!: number;

  @ApiProperty({ type: [HostSyncResultDto], description: 'every host with an agent and a VTEP' })
  hosts!: HostSyncResultDto[];

  @ApiProperty({ type: [String], description: 'hosts not updated; the periodic resync catches them up' })
  notUpdated!: string[];
}

export class SyncedDeletionDto {
  @ApiProperty({ format: 'uuid' })
  deleted!: string;

  @ApiProperty({ type: NetworkSyncReportDto })
  sync!: NetworkSyncReportDto;
}
