import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Stored as JSON text so SQLite and PostgreSQL hold it alike. */
const jsonStringList = {
  to: (value: string[] | undefined) => JSON.stringify(value ?? []),
  from: (value: string | null) => (value ? (JSON.parse(value) as string[]) : []),
};

/** A VXLAN tenant (or external) network: one segment, one VNI. */
@Entity('networks')
export class NetworkEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 63 })
  name!: string;

  @Column({ type: 'integer', unique: true })
  vni!: number;

  @Column({ type: 'integer' })
  mtu!: number;

  @Column({ type: 'boolean', default: false })
  external!: boolean;

  /** VTEPs outside livemig's hosts that join the segment (e.g. a test client), flooded like any host. */
  @Column({ name: 'static_vteps', type: 'text', transformer: jsonStringList })
  staticVteps!: string[];

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
