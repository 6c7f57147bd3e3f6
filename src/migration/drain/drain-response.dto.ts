import { ApiProperty } from '@nestjs/swagger';
import { DRAIN_MOVE_OUTCOMES } from './drain-move.entity';
import { DRAIN_STATES } from './drain.entity';

// OpenAPI shapes of drain responses; the services return the same fields.

export class DrainPlanMoveDto {
  @ApiProperty() order!: number;
  @ApiProperty({ format: 'uuid' }) instanceId!: string;
  @ApiProperty() instanceName!: string;
  @ApiProperty({ format: 'uuid' }) destinationHostId!: string;
  @ApiProperty() destinationHostName!: string;
  @ApiProperty() memoryMiB!: number;
  @ApiProperty({ description: 'pre-copy model, idle guest at the planned bandwidth share' }) predictedTimeSec!: number;
  @ApiProperty() predictedDowntimeMs!: number;
  @ApiProperty() converges!: boolean;
  @ApiProperty({ description: 'start in the simulated schedule under the concurrency limits' }) startSec!: number;
  @ApiProperty() endSec!: number;
}

export class RejectionCountDto {
  @ApiProperty({ example: 'insufficient-ram' }) reason!: string;
  @ApiProperty() hostCount!: number;
}

export class UnplaceableDto {
  @ApiProperty({ format: 'uuid' }) instanceId!: string;
  @ApiProperty() instanceName!: string;
  @ApiProperty({ example: 'no valid host: insufficient-ram (2), maintenance (1)' }) reason!: string;
  @ApiProperty({ type: [RejectionCountDto] }) rejections!: RejectionCountDto[];
}

export class ExcludedDestinationDto {
  @ApiProperty({ format: 'uuid' }) hostId!: string;
  @ApiProperty() hostName!: string;
  @ApiProperty({ example: 'host is maintenance' }) reason!: string;
}

export class DrainPlanDto {
  @ApiProperty({ format: 'uuid' }) hostId!: string;
  @ApiProperty() hostName!: string;
  @ApiProperty({ type: [DrainPlanMoveDto] }) moves!: DrainPlanMoveDto[];
  @ApiProperty({ type: [UnplaceableDto] }) unplaceable!: UnplaceableDto[];
  @ApiProperty() predictedMakespanSec!: number;
  @ApiProperty({ description: 'no schedule under the limits can be shorter' }) lowerBoundSec!: number;
  @ApiProperty({ description: 'priority order of the kept schedule' }) ordering!: string;
  @ApiProperty({ example: { perCluster: 2, perOutboundHost: 2, perInboundHost: 2 } }) limits!: Record<string, number>;
  @ApiProperty({ type: [ExcludedDestinationDto] }) excludedDestinations!: ExcludedDestinationDto[];
}

export class DrainMoveDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() order!: number;
  @ApiProperty({ format: 'uuid' }) instanceId!: string;
  @ApiProperty() instanceName!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) destinationHostId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) migrationId!: string | null;
  @ApiProperty({ enum: DRAIN_MOVE_OUTCOMES }) outcome!: string;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ nullable: true, type: Number }) predictedTimeSec!: number | null;
  @ApiProperty({ nullable: true, type: Number }) predictedDowntimeMs!: number | null;
  @ApiProperty() updatedAt!: Date;
}

export class DrainDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) hostId!: string;
  @ApiProperty({ enum: DRAIN_STATES }) state!: string;
  @ApiProperty() maxParallel!: number;
  @ApiProperty({ nullable: true, type: String }) policyName!: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) policy!: Record<string, unknown> | null;
  @ApiProperty({ type: DrainPlanDto }) plan!: DrainPlanDto;
  @ApiProperty() cancelRequested!: boolean;
  @ApiProperty({ nullable: true, type: String, example: '2 of 3 instances are still on the host' }) failureReason!: string | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
  @ApiProperty({ nullable: true, type: Date }) finishedAt!: Date | null;
  @ApiProperty({ type: [DrainMoveDto], description: 'one per instance that was on the host' }) moves!: DrainMoveDto[];
}
