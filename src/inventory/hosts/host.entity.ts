import { SEALED_COLUMN } from '../repositories/sealed-column';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const HOST_STATES = ['enabled', 'disabled', 'maintenance'] as const;
export type HostState = (typeof HOST_STATES)[number];

export const AGENT_STATES = ['up', 'down'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

@Entity('hosts')
export class HostEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 63, unique: true })
  name!: string;

  @Column({ name: 'libvirt_uri', type: 'varchar', length: 255 })
  libvirtUri!: string;

  @Column({ name: 'migration_address', type: 'varchar', length: 45 })
  migrationAddress!: string;

  @Column({ name: 'migration_interface', type: 'varchar', length: 15 })
  migrationInterface!: string;

  @Column({ name: 'instances_path', type: 'varchar', length: 255 })
  instancesPath!: string;

  @Column({ type: 'integer' })
  vcpus!: number;

  @Column({ name: 'memory_mib', type: 'integer' })
  memoryMiB!: number;

  @Column({ type: 'varchar', length: 16 })
  state!: HostState;

  @Column({ name: 'agent_endpoint', type: 'varchar', length: 255, nullable: true })
  agentEndpoint!: string | null;

  /** The host agent's own token; write-only through the API (see toJSON), sealed (AES-256-GCM) in the database. */
  @Column({ name: 'agent_token', type: 'varchar', length: 255, nullable: true, transformer: SEALED_COLUMN })
  agentToken!: string | null;

  /** Tunnel endpoint of the tenant VXLAN networks on this host; no VTEP, no network state pushed. */
  @Column({ name: 'vtep_ip', type: 'varchar', length: 15, nullable: true })
  vtepIp!: string | null;

  /** From the periodic heartbeat; null until the first one (or without an agent). */
  @Column({ name: 'agent_state', type: 'varchar', length: 8, nullable: true })
  agentState!: AgentState | null;

  @Column({ name: 'agent_last_seen_at', type: Date, nullable: true })
  agentLastSeenAt!: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;

  /** What every answer and event carries: the host without its agent token. */
  toJSON(): Omit<HostEntity, 'agentToken' | 'toJSON'> {
    const { agentToken: _secret, ...shown } = this;
    return shown;
  }
}
