import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { MigrationNetworkReport } from '../../capture/migration-report';
import type { NetworkStepRecord } from '../../network/follow/network-step-record';
import type { ClassChange } from '../../network/core/peer-paths';
import type { PrecopyRecord } from '../prediction/precopy-record';
import { withCurrentPolicyKeys, withPolicyDefaults, type ConvergencePolicy } from '../core';
import type { MigrationState } from '../migration-phase';
import { numberColumn } from './number-column';

/** What the hypervisor itself reported for the finished job (COMPLETED job stats on the destination). */
export interface HypervisorFigures {
  hvTotalTimeMs: number | null;
  hvDowntimeMs: number | null;
  hvSetupTimeMs: number | null;
  hvDataProcessedBytes: number | null;
  hvIterations: number | null;
  hvDirtyRatePagesPerSec: number | null;
}

export interface ConvergenceEvent {
  atMs: number;
  action: string;
  detail: Record<string, unknown>;
  outcome: 'applied' | 'failed' | 'unsupported';
  error?: string;
}

@Entity('live_migrations')
export class LiveMigrationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index()
  @Column({ name: 'instance_id', type: 'varchar', length: 36 })
  instanceId!: string;

  @Column({ name: 'instance_name', type: 'varchar', length: 63 })
  instanceName!: string;

  @Column({ name: 'domain_name', type: 'varchar', length: 63 })
  domainName!: string;

  @Column({ name: 'flavor_name', type: 'varchar', length: 63 })
  flavorName!: string;

  @Column({ name: 'flavor_ram_mib', type: 'integer' })
  flavorRamMiB!: number;

  @Column({ name: 'source_host_id', type: 'varchar', length: 36 })
  sourceHostId!: string;

  @Column({ name: 'destination_host_id', type: 'varchar', length: 36 })
  destinationHostId!: string;

  @Index()
  @Column({ type: 'varchar', length: 16 })
  state!: MigrationState;

  @Column({ name: 'policy_name', type: 'varchar', length: 63 })
  policyName!: string;

  /** Records stored before the unit-suffix names (or the auto strategy) read as today's policy. */
  @Column({
    type: 'simple-json',
    transformer: { to: (p: ConvergencePolicy) => p, from: (p: ConvergencePolicy) => withPolicyDefaults(withCurrentPolicyKeys(p)) },
  })
  policy!: ConvergencePolicy;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason!: string | null;

  @Column({ name: 'abort_requested', type: 'boolean', default: false })
  abortRequested!: boolean;

  /** The replica running it (admitted by its queue or adopted); null while it waits for a slot. */
  @Column({ name: 'owner_id', type: 'varchar', length: 64, nullable: true })
  ownerId!: string | null;

  /** The owner renews this; past it, another replica adopts the migration. */
  @Column({ name: 'lease_expires_at', type: Date, nullable: true })
  leaseExpiresAt!: Date | null;

  /** The destination's resumed event; the pause's end on the report's time axis when libvirt sent it. */
  @Column({ name: 'guest_resumed_at', type: Date, nullable: true })
  guestResumedAt!: Date | null;

  @Column(numberColumn('hv_total_time_ms'))
  hvTotalTimeMs!: number | null;

  @Column(numberColumn('hv_downtime_ms'))
  hvDowntimeMs!: number | null;

  @Column(numberColumn('hv_setup_time_ms'))
  hvSetupTimeMs!: number | null;

  @Column(numberColumn('hv_data_processed_bytes'))
  hvDataProcessedBytes!: number | null;

  @Column(numberColumn('hv_iterations'))
  hvIterations!: number | null;

  @Column(numberColumn('hv_dirty_rate_pages_per_sec'))
  hvDirtyRatePagesPerSec!: number | null;

  @Column(numberColumn('max_downtime_ms'))
  maxDowntimeMs!: number | null;

  @Column(numberColumn('net_total_migration_time_ms'))
  netTotalMigrationTimeMs!: number | null;

  @Column(numberColumn('net_payload_bytes'))
  netPayloadBytes!: number | null;

  @Column(numberColumn('net_throughput_mbps'))
  netThroughputMbps!: number | null;

  @Column(numberColumn('net_downtime_ms'))
  netDowntimeMs!: number | null;

  @Column(numberColumn('net_downtime_loss_ms'))
  netDowntimeLossMs!: number | null;

  @Column(numberColumn('net_loss_pct'))
  netLossPct!: number | null;

  @Column(numberColumn('net_jitter_ms'))
  netJitterMs!: number | null;

  @Column(numberColumn('net_rtt_avg_ms'))
  netRttAvgMs!: number | null;

  @Column(numberColumn('net_max_reply_gap_ms'))
  netMaxReplyGapMs!: number | null;

  @Column(numberColumn('net_probe_interval_ms'))
  netProbeIntervalMs!: number | null;

  @Column(numberColumn('ns_downtime_ms'))
  northSouthDowntimeMs!: number | null;

  @Column(numberColumn('ns_loss_pct'))
  northSouthLossPct!: number | null;

  @Column(numberColumn('network_convergence_ms'))
  networkConvergenceMs!: number | null;

  /** Pre-copy model, before the copy: rounds, total time and downtime it predicted, and whether it converges. */
  @Column(numberColumn('pred_iterations'))
  predIterations!: number | null;

  @Column(numberColumn('pred_total_time_ms'))
  predTotalTimeMs!: number | null;

  @Column(numberColumn('pred_downtime_ms'))
  predDowntimeMs!: number | null;

  @Column({ name: 'pred_converges', type: 'boolean', nullable: true })
  predConverges!: boolean | null;

  /** (predicted - actual) / actual total time, the actual being the hypervisor's; set when the migration completed. */
  @Column(numberColumn('pred_total_time_error'))
  predTotalTimeErrorRatio!: number | null;

  /** Inputs, prediction and error in full. */
  @Column({ name: 'precopy_prediction', type: 'simple-json', nullable: true })
  precopyPrediction!: PrecopyRecord | null;

  /** The network following the guest, step by step; empty for an instance without ports. */
  @Column({ name: 'network_steps', type: 'simple-json', nullable: true })
  networkSteps!: NetworkStepRecord[] | null;

  /** The peers whose path class the move changes, from the network model at pre-migration; null: not computed. */
  @Column({ name: 'path_changes', type: 'simple-json', nullable: true })
  pathChanges!: ClassChange[] | null;

  /** none: no capture asked; pending: capturing or analyzing; ready; failed (see reportError). */
  @Column({ name: 'report_state', type: 'varchar', length: 16, default: 'none' })
  reportState!: 'none' | 'pending' | 'ready' | 'failed';

  @Column({ type: 'simple-json', nullable: true, select: false })
  report!: MigrationNetworkReport | null;

  @Column({ name: 'report_error', type: 'text', nullable: true })
  reportError!: string | null;

  @Column({ name: 'convergence_events', type: 'simple-json' })
  convergenceEvents!: ConvergenceEvent[];

  /** When the request arrived, before its pre-checks (the fast start counts from here). */
  @Column({ name: 'requested_at', type: Date, nullable: true })
  requestedAt!: Date | null;

  /** From the request to the first byte the copy sent (the first job sample with data processed). */
  @Column(numberColumn('request_to_first_byte_ms'))
  requestToFirstByteMs!: number | null;

  @Column({ name: 'started_at', type: Date, nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: Date, nullable: true })
  finishedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
