import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { BalanceMetric } from '../core';

export type RebalancePolicyGoal = { kind: 'threshold'; value: number } | { kind: 'stddev'; value: number };
export const REBALANCE_MODES = ['dry-run', 'execute'] as const;
export type RebalanceMode = (typeof REBALANCE_MODES)[number];

@Entity('rebalance_policies')
export class RebalancePolicyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 63, unique: true })
  name!: string;

  @Column({ type: 'varchar', length: 8 })
  metric!: BalanceMetric;

  @Column({ type: 'simple-json' })
  goal!: RebalancePolicyGoal;

  @Column({ type: 'varchar', length: 120 })
  cron!: string;

  @Column({ name: 'max_migrations_per_run', type: 'integer' })
  maxMigrationsPerRun!: number;

  @Column({ name: 'cooldown_sec', type: 'integer' })
  cooldownSec!: number;

  @Column({ type: 'varchar', length: 16 })
  mode!: RebalanceMode;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
