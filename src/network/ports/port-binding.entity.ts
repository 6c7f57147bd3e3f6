import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { BindingStatus } from '../core/network-model';
import { PortEntity } from './port.entity';

const jsonObject = {
  to: (value: Record<string, unknown> | undefined) => JSON.stringify(value ?? {}),
  from: (value: string | null) => (value ? (JSON.parse(value) as Record<string, unknown>) : {}),
};

/** Neutron's multiple port bindings: at most one ACTIVE per port; INACTIVE ones are pre-plugged migration destinations. */
@Entity('port_bindings')
export class PortBindingEntity {
  @PrimaryColumn({ name: 'port_id', type: 'varchar', length: 36 })
  portId!: string;

  @PrimaryColumn({ name: 'host_id', type: 'varchar', length: 36 })
  hostId!: string;

  @Column({ type: 'varchar', length: 8 })
  status!: BindingStatus;

  @Column({ name: 'vif_details', type: 'text', transformer: jsonObject })
  vifDetails!: Record<string, unknown>;

  @ManyToOne(() => PortEntity, (p) => p.bindings, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'port_id' })
  port?: PortEntity;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
