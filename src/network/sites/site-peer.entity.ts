import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { EspCipher, EspMode, OuterIp } from '../core/mtu-layers';
import type { SiteEncryption } from '../core/mtu-site-stack';

/** A peer site and the policy of the encrypted link between the two site gateways (set by administrators). */
@Entity('site_peers')
export class SitePeerEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 63, unique: true })
  name!: string;

  @Column({ name: 'local_gateway_ip', type: 'varchar', length: 45 })
  localGatewayIp!: string;

  @Column({ name: 'remote_gateway_ip', type: 'varchar', length: 45 })
  remoteGatewayIp!: string;

  @Column({ name: 'underlay_mtu_bytes', type: 'integer' })
  underlayMtuBytes!: number;

  @Column({ name: 'outer_family', type: 'varchar', length: 4 })
  outerFamily!: OuterIp;

  @Column({ type: 'varchar', length: 9 })
  encryption!: SiteEncryption;

  @Column({ name: 'esp_mode', type: 'varchar', length: 9, nullable: true })
  espMode!: EspMode | null;

  @Column({ name: 'esp_cipher', type: 'varchar', length: 24, nullable: true })
  espCipher!: EspCipher | null;

  @Column({ name: 'nat_traversal', type: 'boolean', default: false })
  natTraversal!: boolean;

  /** The site link's bandwidth as provisioned; migrations across it are predicted with it. */
  @Column({ name: 'link_bandwidth_mbps', type: 'integer', nullable: true })
  linkBandwidthMbps!: number | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
