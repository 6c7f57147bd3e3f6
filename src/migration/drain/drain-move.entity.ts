import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { numberColumn } from '../records/number-column';

/**
 * pending: not started yet; running: its migration is queued or running; unplaceable: the planner found
 * no destination; refused: a pre-check said no; skipped: the drain was cancelled before it started.
 * completed, unreachable, failed, aborted, rolled-back: the migration's own end state.
 */
export const DRAIN_MOVE_OUTCOMES = [
  'pending',
  'running',
  'completed',
  'unreachable',
  'failed',
  'aborted',
  'rolled-back',
  'refused',
  'unplaceable',
  'skipped',
] as const;
export type DrainMoveOutcome = (typeof DRAIN_MOVE_OUTCOMES)[number];

@Entity('drain_moves')
@Index(['drainId', 'order'])
export class DrainMoveEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'drain_id', type: 'varchar', length: 36 })
  drainId!: string;

  @Column({ name: 'move_order', type: 'integer' })
  order!: number;

  @Column({ name: 'instance_id', type: 'varchar', length: 36 })
  instanceId!: string;

  @Column({ name: 'instance_name', type: 'varchar', length: 63 })
  instanceName!: string;

  @Column({ name: 'destination_host_id', type: 'varchar', length: 36, nullable: true })
  destinationHostId!: string | null;

  @Column({ name: 'migration_id', type: 'varchar', length: 36, nullable: true })
  migrationId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome!: DrainMoveOutcome;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column(numberColumn('predicted_time_sec'))
  predictedTimeSec!: number | null;

  @Column(numberColumn('predicted_downtime_ms'))
  predictedDowntimeMs!: number | null;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
