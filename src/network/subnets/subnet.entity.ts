import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('subnets')
export class SubnetEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'network_id', type: 'varchar', length: 36 })
  networkId!: string;

  @Column({ type: 'varchar', length: 18 })
  cidr!: string;

  @Column({ name: 'gateway_ip', type: 'varchar', length: 15 })
  gatewayIp!: string;

  /** Fixed IPs and floating IPs are allocated from this range, inclusive. */
  @Column({ name: 'pool_start', type: 'varchar', length: 15 })
  poolStart!: string;

  @Column({ name: 'pool_end', type: 'varchar', length: 15 })
  poolEnd!: string;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
