import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { DrainPlanView } from './drain-plan-view';

export const DRAIN_STATES = ['running', 'completed', 'cancelled', 'failed'] as const;
export type DrainState = (typeof DRAIN_STATES)[number];

@Entity('drains')
export class DrainEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index()
  @Column({ name: 'host_id', type: 'varchar', length: 36 })
  hostId!: string;

  @Index()
  @Column({ type: 'varchar', length: 16 })
  state!: DrainState;

  @Column({ name: 'max_parallel', type: 'integer' })
  maxParallel!: number;

  @Column({ name: 'policy_name', type: 'varchar', length: 63, nullable: true })
  policyName!: string | null;

  @Column({ type: 'simple-json', nullable: true })
  policy!: Record<string, unknown> | null;

  @Column({ type: 'simple-json' })
  plan!: DrainPlanView;

  @Column({ name: 'cancel_requested', type: 'boolean', default: false })
  cancelRequested!: boolean;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;

  @Column({ name: 'finished_at', type: Date, nullable: true })
  finishedAt!: Date | null;
}
