import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A single row: the revision of the desired network state, kept across controller restarts. */
@Entity('network_revision')
export class NetworkRevisionEntity {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'integer' })
  revision!: number;

  /** This database's identity for the desired state (a UUID), set by the schema migration. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  generation!: string | null;
}
