import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity('floating_ips')
export class FloatingIpEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** The external network the address comes from. */
  @Column({ name: 'network_id', type: 'varchar', length: 36 })
  networkId!: string;

  @Column({ type: 'varchar', length: 15, unique: true })
  address!: string;

  @Column({ name: 'port_id', type: 'varchar', length: 36, nullable: true })
  portId!: string | null;

  /** Set on association: the router with an interface on the port's subnet and its gateway on this network. */
  @Column({ name: 'router_id', type: 'varchar', length: 36, nullable: true })
  routerId!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
