import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { numberColumn } from './number-column';

/** One job-stats sample taken on the source while the migration runs. */
@Entity('migration_samples')
@Index(['migrationId', 'elapsedMs'])
export class MigrationSampleEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'migration_id', type: 'varchar', length: 36 })
  migrationId!: string;

  @Column({ name: 'sampled_at', type: Date })
  sampledAt!: Date;

  /** Since the migrate call started, on the controller's clock. */
  @Column(numberColumn('elapsed_ms', { nullable: false }))
  elapsedMs!: number;

  @Column(numberColumn('data_processed_bytes'))
  dataProcessedBytes!: number | null;

  @Column(numberColumn('data_remaining_bytes'))
  dataRemainingBytes!: number | null;

  @Column(numberColumn('data_total_bytes'))
  dataTotalBytes!: number | null;

  @Column(numberColumn('dirty_rate_pages_per_sec'))
  dirtyRatePagesPerSec!: number | null;

  @Column(numberColumn('memory_iteration'))
  memoryIteration!: number | null;

  @Column(numberColumn('bandwidth_bytes_per_sec'))
  bandwidthBytesPerSec!: number | null;

  @Column(numberColumn('max_downtime_ms'))
  maxDowntimeMs!: number | null;
}
