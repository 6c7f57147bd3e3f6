import type { MigrationInterface, QueryRunner } from 'typeorm';

// OpenStack's default flavors, with fixed ids so every deployment agrees on them.
const DEFAULT_FLAVORS = [
  { id: '00000000-0000-4000-8000-000000000001', name: 'm1.nano', vcpus: 1, ramMiB: 64, diskGiB: 0 },
  { id: '00000000-0000-4000-8000-000000000002', name: 'm1.micro', vcpus: 1, ramMiB: 128, diskGiB: 0 },
  { id: '00000000-0000-4000-8000-000000000003', name: 'm1.tiny', vcpus: 1, ramMiB: 512, diskGiB: 1 },
  { id: '00000000-0000-4000-8000-000000000004', name: 'm1.small', vcpus: 1, ramMiB: 2048, diskGiB: 20 },
  { id: '00000000-0000-4000-8000-000000000005', name: 'm1.medium', vcpus: 2, ramMiB: 4096, diskGiB: 40 },
  { id: '00000000-0000-4000-8000-000000000006', name: 'm1.large', vcpus: 4, ramMiB: 8192, diskGiB: 80 },
] as const;

export class SeedFlavors1732240000001 implements MigrationInterface {
  name = 'SeedFlavors1732240000001';

  async up(runner: QueryRunner): Promise<void> {
    const sql =
      runner.connection.options.type === 'postgres'
        ? 'INSERT INTO flavors (id, name, vcpus, ram_mib, disk_gib) VALUES ($1, $2, $3, $4, $5)'
        : 'INSERT INTO flavors (id, name, vcpus, ram_mib, disk_gib) VALUES (?, ?, ?, ?, ?)';
    for (const f of DEFAULT_FLAVORS) await runner.query(sql, [f.id, f.name, f.vcpus, f.ramMiB, f.diskGiB]);
  }

  async down(runner: QueryRunner): Promise<void> {
    const ids = DEFAULT_FLAVORS.map((f) => `'${f.id}'`).join(', ');
    await runner.query(`DELETE FROM flavors WHERE id IN (${ids})`);
  }
}
