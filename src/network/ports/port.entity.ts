import { Column, CreateDateColumn, Entity, OneToMany, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { DeviceOwner } from '../core/network-model';
import { PortBindingEntity } from './port-binding.entity';

@Entity('ports')
export class PortEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'network_id', type: 'varchar', length: 36 })
  networkId!: string;

  @Column({ name: 'subnet_id', type: 'varchar', length: 36 })
  subnetId!: string;

  @Column({ type: 'varchar', length: 17, unique: true })
  mac!: string;

  @Column({ name: 'fixed_ip', type: 'varchar', length: 15 })
  fixedIp!: string;

  @Column({ name: 'device_owner', type: 'varchar', length: 32 })
  deviceOwner!: DeviceOwner;

  /** Instance id (compute), router id (router_interface, router_gateway), host id (floatingip_agent_gateway). */
  @Column({ name: 'device_id', type: 'varchar', length: 36, nullable: true })
  deviceId!: string | null;

  @OneToMany(() => PortBindingEntity, (b) => b.port)
  bindings?: PortBindingEntity[];

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
