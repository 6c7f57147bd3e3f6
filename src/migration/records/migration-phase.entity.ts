import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { MigrationState } from '../migration-phase';

/** One row per state a migration enters, with the time it entered it. */
@Entity('migration_phases')
@Index(['migrationId', 'enteredAt'])
export class MigrationPhaseEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'migration_id', type: 'varchar', length: 36 })
  migrationId!: string;

  @Column({ type: 'varchar', length: 16 })
  phase!: MigrationState;

  @Column({ name: 'entered_at', type: Date })
  enteredAt!: Date;

  @Column({ type: 'text', nullable: true })
  detail!: string | null;
}
