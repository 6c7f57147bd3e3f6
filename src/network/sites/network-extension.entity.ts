import { Column, CreateDateColumn, Entity, PrimaryColumn, Unique } from 'typeorm';

/** A tenant network stretched to a site peer (asked by operators); its MTU was checked against the link's budget. */
@Entity('network_extensions')
@Unique(['networkId', 'sitePeerId'])
export class NetworkExtensionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'network_id', type: 'varchar', length: 36 })
  networkId!: string;

  @Column({ name: 'site_peer_id', type: 'varchar', length: 36 })
  sitePeerId!: string;

  /** The tenant frames carry an 802.1Q tag inside the VXLAN (4 bytes more). */
  @Column({ name: 'inner_vlan_tag', type: 'boolean', default: false })
  innerVlanTag!: boolean;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
