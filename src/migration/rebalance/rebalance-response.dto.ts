import { ApiProperty } from '@nestjs/swagger';
import { RebalanceGoalDto } from './rebalance-policy.dto';
import { REBALANCE_MODES } from './rebalance-policy.entity';

// OpenAPI shapes of rebalancing responses; the services return the same fields.

export class RebalancePolicyResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['cpu', 'ram'] }) metric!: string;
  @ApiProperty({ type: RebalanceGoalDto }) goal!: RebalanceGoalDto;
  @ApiProperty() cron!: string;
  @ApiProperty() maxMigrationsPerRun!: number;
  @ApiProperty() cooldownSec!: number;
  @ApiProperty({ enum: REBALANCE_MODES }) mode!: string;
  @ApiProperty() enabled!: boolean;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
}

export class RebalanceRunResultDto {
  @ApiProperty({ format: 'uuid' }) instanceId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) migrationId!: string | null;
  @ApiProperty({ enum: ['completed', 'unreachable', 'failed', 'aborted', 'rolled-back', 'refused', 'not-executed'] }) outcome!: string;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
}

export class RebalanceRunDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) policyId!: string;
  @ApiProperty({ enum: ['cron', 'manual'] }) trigger!: string;
  @ApiProperty({ enum: REBALANCE_MODES }) mode!: string;
  @ApiProperty({ enum: ['running', 'completed', 'failed'] }) state!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      "utilisationSource ('libvirt': measured cpu.time and balloon.rss of each instance, node stats of each host; 'allocation-estimate' otherwise), metric, hosts with utilisation, instances considered with lastMigratedAt and measured utilisation, inCooldownInstanceIds",
  })
  inputs!: Record<string, unknown>;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'planned moves with reason (above-threshold or reduce-stddev) and utilisations after',
  })
  moves!: Record<string, unknown>[];
  @ApiProperty({ nullable: true, type: Number }) stddevBefore!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'predicted' }) stddevAfter!: number | null;
  @ApiProperty({ nullable: true, enum: ['goal-met', 'max-migrations', 'no-improving-move'] }) stopReason!: string | null;
  @ApiProperty({ type: [RebalanceRunResultDto] }) results!: RebalanceRunResultDto[];
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ nullable: true, type: Date }) finishedAt!: Date | null;
}

export class LeadershipDto {
  @ApiProperty() leader!: boolean;
  @ApiProperty({ enum: ['single-instance', 'pg-advisory-lock'] }) mechanism!: string;
  @ApiProperty({ nullable: true, type: Number }) lockKey!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'PostgreSQL backend pid of the lock session' }) sessionPid!: number | null;
  @ApiProperty() retryIntervalMs!: number;
  @ApiProperty({ nullable: true, type: String }) since!: string | null;
  @ApiProperty({ nullable: true, type: String }) lastAttemptAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) lastError!: string | null;
}
