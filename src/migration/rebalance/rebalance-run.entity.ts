import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { RebalanceMove, RebalanceStop } from '../core';
import { numberColumn } from '../records/number-column';
import type { RebalanceMode } from './rebalance-policy.entity';

/**
 * What the planner saw. With 'libvirt', each instance's load was measured (cpu.time over an interval,
 * balloon.rss) and a host's utilisation is the sum of its instances'; an instance left unmeasured
 * (null figures) counts at its full allocation, as with 'allocation-estimate'.
 */
export interface RebalanceRunInputs {
  utilisationSource: 'allocation-estimate' | 'libvirt';
  metric: 'cpu' | 'ram';
  hosts: {
    hostId: string;
    name: string;
    state: string;
    agentUp: boolean;
    utilisation: number;
    /** Node stats of the whole host, for the record (the planner sums the guests). */
    nodeCpuBusy?: number | null;
    nodeMemoryUsedFraction?: number | null;
    /** Why libvirt could not be read on this host. */
    measureError?: string | null;
  }[];
  instances: {
    instanceId: string;
    name: string;
    hostId: string;
    vcpus: number;
    memoryMiB: number;
    lastMigratedAt: string | null;
    cpuUtilisation?: number | null;
    ramUtilisation?: number | null;
  }[];
  inCooldownInstanceIds: string[];
}

export interface RebalanceRunResult {
  instanceId: string;
  migrationId: string | null;
  outcome: 'completed' | 'unreachable' | 'failed' | 'aborted' | 'rolled-back' | 'refused' | 'not-executed';
  reason: string | null;
}

export type RebalanceTrigger = 'cron' | 'manual';
export type RebalanceRunState = 'running' | 'completed' | 'failed';

@Entity('rebalance_runs')
@Index(['policyId', 'createdAt'])
export class RebalanceRunEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'policy_id', type: 'varchar', length: 36 })
  policyId!: string;

  @Column({ type: 'varchar', length: 16 })
  trigger!: RebalanceTrigger;

  @Column({ type: 'varchar', length: 16 })
  mode!: RebalanceMode;

  @Column({ type: 'varchar', length: 16 })
  state!: RebalanceRunState;

  @Column({ type: 'simple-json' })
  inputs!: RebalanceRunInputs;

  @Column({ type: 'simple-json' })
  moves!: RebalanceMove[];

  @Column(numberColumn('stddev_before'))
  stddevBefore!: number | null;

  @Column(numberColumn('stddev_after'))
  stddevAfter!: number | null;

  @Column({ name: 'stop_reason', type: 'varchar', length: 32, nullable: true })
  stopReason!: RebalanceStop | null;

  @Column({ type: 'simple-json' })
  results!: RebalanceRunResult[];

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'finished_at', type: Date, nullable: true })
  finishedAt!: Date | null;
}
