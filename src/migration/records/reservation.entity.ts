import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** Capacity held on a destination from reservation until the migration ends. */
@Entity('reservations')
export class ReservationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index()
  @Column({ name: 'migration_id', type: 'varchar', length: 36 })
  migrationId!: string;

  @Index()
  @Column({ name: 'host_id', type: 'varchar', length: 36 })
  hostId!: string;

  @Column({ type: 'integer' })
  vcpus!: number;

  @Column({ name: 'memory_mib', type: 'integer' })
  memoryMiB!: number;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'released_at', type: Date, nullable: true })
  releasedAt!: Date | null;
}
