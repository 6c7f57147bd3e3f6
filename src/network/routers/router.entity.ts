import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Interfaces are `router_interface` ports whose deviceId is the router; the gateway is its `router_gateway` port. */
@Entity('routers')
export class RouterEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 63 })
  name!: string;

  @Column({ type: 'boolean' })
  distributed!: boolean;

  @Column({ name: 'legacy_host_id', type: 'varchar', length: 36, nullable: true })
  legacyHostId!: string | null;

  @Column({ name: 'external_network_id', type: 'varchar', length: 36, nullable: true })
  externalNetworkId!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
