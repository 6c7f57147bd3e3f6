import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { FlavorEntity } from '../flavors/flavor.entity';
import { HostEntity } from '../hosts/host.entity';

export const INSTANCE_STATES = ['building', 'active', 'migrating', 'stopped', 'error'] as const;
export type InstanceState = (typeof INSTANCE_STATES)[number];

@Entity('instances')
export class InstanceEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 63, unique: true })
  name!: string;

  @Column({ name: 'domain_name', type: 'varchar', length: 63 })
  domainName!: string;

  @Column({ name: 'domain_uuid', type: 'varchar', length: 36, unique: true })
  domainUuid!: string;

  @Column({ name: 'flavor_id', type: 'varchar', length: 36 })
  flavorId!: string;

  @ManyToOne(() => FlavorEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'flavor_id' })
  flavor?: FlavorEntity;

  @Column({ name: 'host_id', type: 'varchar', length: 36 })
  hostId!: string;

  @ManyToOne(() => HostEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'host_id' })
  host?: HostEntity;

  @Column({ type: 'varchar', length: 16 })
  state!: InstanceState;

  /** The guest's fixed IP, which probes target during a migration. */
  @Column({ name: 'ip_address', type: 'varchar', length: 45, nullable: true })
  ipAddress!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
