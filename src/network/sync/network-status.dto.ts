import { ApiProperty } from '@nestjs/swagger';

export class LastApplyDto {
  @ApiProperty()
  revision!: number;

  @ApiProperty({ description: 'agent clock, ISO-8601' })
  appliedAt!: string;

  @ApiProperty()
  durationMs!: number;

  @ApiProperty()
  driftCount!: number;

  @ApiProperty()
  commandCount!: number;
}

export class DriftEntryDto {
  @ApiProperty({ example: 'fdb' })
  kind!: string;

  @ApiProperty()
  subject!: string;

  @ApiProperty({ enum: ['missing', 'extra', 'different'] })
  found!: 'missing' | 'extra' | 'different';

  @ApiProperty()
  repaired!: boolean;

  @ApiProperty()
  at!: string;
}

export class AgentNetworkSummaryDto {
  @ApiProperty({ nullable: true, type: String, description: 'the host the desired state the agent holds is for' })
  desiredHost!: string | null;

  @ApiProperty({ nullable: true, type: Number })
  desiredRevision!: number | null;

  @ApiProperty({ nullable: true, type: () => LastApplyDto })
  lastApply!: LastApplyDto | null;

  @ApiProperty({ description: 'drift entries the agent has logged since it started' })
  driftLogEntries!: number;

  @ApiProperty({ type: () => [DriftEntryDto], description: 'the newest drift entries (at most 10)' })
  recentDrift!: DriftEntryDto[];
}

export class HostNetworkStatusDto {
  @ApiProperty({ example: 'compute-a' })
  host!: string;

  @ApiProperty({ description: "the controller's current revision" })
  desiredRevision!: number;

  @ApiProperty({ nullable: true, type: Number, description: 'the revision the agent last applied' })
  appliedRevision!: number | null;

  @ApiProperty({ description: 'the agent applied the current revision' })
  inSync!: boolean;

  @ApiProperty({ nullable: true, type: String, description: "this controller database's generation of the desired state" })
  generation!: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'the generation of the state the agent holds' })
  heldGeneration!: string | null;

  @ApiProperty({
    description: "the agent holds another database's state and refuses this one until POST /network/takeover",
  })
  heldByOtherGeneration!: boolean;

  @ApiProperty({ type: () => AgentNetworkSummaryDto, description: "livemig's reading of the agent's answer, never the remote body" })
  agent!: AgentNetworkSummaryDto;
}
