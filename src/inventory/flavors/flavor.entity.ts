import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('flavors')
export class FlavorEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 63, unique: true })
  name!: string;

  @Column({ type: 'integer' })
  vcpus!: number;

  @Column({ name: 'ram_mib', type: 'integer' })
  ramMiB!: number;

  @Column({ name: 'disk_gib', type: 'integer' })
  diskGiB!: number;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
