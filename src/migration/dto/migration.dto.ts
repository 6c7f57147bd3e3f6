import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto, pageDtoOf } from '../../common/http/page';
import { MIGRATION_STATES, type MigrationState } from '../migration-phase';

export class MigrationQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: MIGRATION_STATES })
  @IsOptional()
  @IsIn(MIGRATION_STATES)
  state?: MigrationState;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  instanceId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'source or destination host' })
  @IsOptional()
  @IsUUID('all')
  hostId?: string;
}

export class MigrationPhaseDto {
  @ApiProperty({ enum: MIGRATION_STATES })
  phase!: MigrationState;

  @ApiProperty()
  enteredAt!: Date;

  @ApiProperty({ nullable: true, type: String })
  detail!: string | null;
}

export class ConvergenceEventDto {
  @ApiProperty({ description: 'ms since the copy started' })
  atMs!: number;

  @ApiProperty({ example: 'set-max-downtime' })
  action!: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  detail!: Record<string, unknown>;

  @ApiProperty({
    enum: ['applied', 'failed', 'unsupported'],
    description: 'unsupported: only on records from before every action was real',
  })
  outcome!: string;

  @ApiPropertyOptional()
  error?: string;
}

export class MigrationPredictionDto {
  @ApiProperty({ nullable: true, type: Number, description: 'rounds before stop-and-copy' }) iterations!: number | null;
  @ApiProperty({ nullable: true, type: Number }) totalTimeMs!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'downtime of the stop-and-copy' }) downtimeMs!: number | null;
  @ApiProperty({ nullable: true, type: Boolean, description: 'whether the remainder ever fits the max downtime' })
  converges!: boolean | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: '100 × (predicted - actual) / actual total time, the actual being hvTotalTimeMs; completed migrations only',
  })
  totalTimeErrorPct!: number | null;
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description:
      'RAM, first-round bytes, dirty windows and working set from libvirt page-sampling, bandwidth and its source, max downtime, setup',
  })
  inputs!: Record<string, unknown> | null;
  @ApiProperty({ type: [String], description: 'what could not be measured' }) notes!: string[];
  @ApiProperty({ description: 'when the prediction was made' }) madeAt!: string;
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description:
      'the copy strategy chosen before the start (choice: kind, multifdChannels, compression, autoConverge, postCopyEnabled, postCopyAfterFirstPass, reason, predicted; inputs; libvirt and QEMU versions)',
  })
  strategy!: Record<string, unknown> | null;
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: 'post-copy runs: switchedAtMs, downtimeMs, totalTimeMs, dataProcessedBytes, iterations, and that it cannot be rolled back',
  })
  postCopy!: Record<string, unknown> | null;
}

export class MigrationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) instanceId!: string;
  @ApiProperty() instanceName!: string;
  @ApiProperty() domainName!: string;
  @ApiProperty() flavorName!: string;
  @ApiProperty() flavorRamMiB!: number;
  @ApiProperty({ format: 'uuid' }) sourceHostId!: string;
  @ApiProperty({ format: 'uuid' }) destinationHostId!: string;
  @ApiProperty({ enum: MIGRATION_STATES }) state!: MigrationState;
  @ApiProperty() policyName!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the convergence policy in force' }) policy!: Record<
    string,
    unknown
  >;
  @ApiProperty({ nullable: true, type: String }) failureReason!: string | null;
  @ApiProperty() abortRequested!: boolean;
  @ApiProperty({ nullable: true, type: Number, description: 'hypervisor: time elapsed (COMPLETED job stats)' }) hvTotalTimeMs!:
    number | null;
  @ApiProperty({ nullable: true, type: Number }) hvDowntimeMs!: number | null;
  @ApiProperty({ nullable: true, type: Number }) hvSetupTimeMs!: number | null;
  @ApiProperty({ nullable: true, type: Number }) hvDataProcessedBytes!: number | null;
  @ApiProperty({ nullable: true, type: Number }) hvIterations!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'last sample before switchover' }) hvDirtyRatePagesPerSec!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'max downtime in force now' }) maxDowntimeMs!: number | null;
  @ApiProperty({ nullable: true, type: () => MigrationPredictionDto, description: 'the pre-copy model, run before the copy' })
  prediction!: MigrationPredictionDto | null;
  @ApiProperty({ type: [ConvergenceEventDto] }) convergenceEvents!: ConvergenceEventDto[];
  @ApiProperty({ type: [MigrationPhaseDto] }) phases!: MigrationPhaseDto[];
  @ApiProperty() sampleCount!: number;
  @ApiProperty({ nullable: true, type: Date, description: 'when the request arrived, before its pre-checks' }) requestedAt!: Date | null;
  @ApiProperty({ nullable: true, type: Number, description: 'from the request to the first byte the copy sent' })
  requestToFirstByteMs!: number | null;
  @ApiProperty({ nullable: true, type: Date }) startedAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date }) finishedAt!: Date | null;
  @ApiProperty() createdAt!: Date;
}

export class MigrationPageDto extends pageDtoOf(MigrationDto) {}

export class MigrationSampleDto {
  @ApiProperty() sampledAt!: Date;
  @ApiProperty({ description: 'ms since the copy started' }) elapsedMs!: number;
  @ApiProperty({ nullable: true, type: Number }) dataProcessedBytes!: number | null;
  @ApiProperty({ nullable: true, type: Number }) dataRemainingBytes!: number | null;
  @ApiProperty({ nullable: true, type: Number }) dataTotalBytes!: number | null;
  @ApiProperty({ nullable: true, type: Number }) dirtyRatePagesPerSec!: number | null;
  @ApiProperty({ nullable: true, type: Number }) memoryIteration!: number | null;
  @ApiProperty({ nullable: true, type: Number }) bandwidthBytesPerSec!: number | null;
  @ApiProperty({ nullable: true, type: Number }) maxDowntimeMs!: number | null;
}

export class ConvergencePresetDto {
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) policy!: Record<string, unknown>;
}
