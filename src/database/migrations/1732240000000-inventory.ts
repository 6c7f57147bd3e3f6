import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, timestampColumn } from '../column-types';

export class Inventory1732240000000 implements MigrationInterface {
  name = 'Inventory1732240000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'hosts',
        columns: [
          idColumn(),
          { name: 'name', type: 'varchar', length: '63', isUnique: true },
          { name: 'libvirt_uri', type: 'varchar', length: '255' },
          { name: 'migration_address', type: 'varchar', length: '45' },
          { name: 'migration_interface', type: 'varchar', length: '15' },
          { name: 'instances_path', type: 'varchar', length: '255' },
          { name: 'vcpus', type: 'integer' },
          { name: 'memory_mib', type: 'integer' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'agent_endpoint', type: 'varchar', length: '255', isNullable: true },
          timestampColumn(runner, 'created_at'),
          timestampColumn(runner, 'updated_at'),
        ],
        checks: [{ expression: "state IN ('enabled','disabled','maintenance')" }],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'flavors',
        columns: [
          idColumn(),
          { name: 'name', type: 'varchar', length: '63', isUnique: true },
          { name: 'vcpus', type: 'integer' },
          { name: 'ram_mib', type: 'integer' },
          { name: 'disk_gib', type: 'integer' },
          timestampColumn(runner, 'created_at'),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'instances',
        columns: [
          idColumn(),
          { name: 'name', type: 'varchar', length: '63', isUnique: true },
          { name: 'domain_name', type: 'varchar', length: '63' },
          { name: 'domain_uuid', type: 'varchar', length: '36', isUnique: true },
          { name: 'flavor_id', type: 'varchar', length: '36' },
          { name: 'host_id', type: 'varchar', length: '36' },
          { name: 'state', type: 'varchar', length: '16' },
          timestampColumn(runner, 'created_at'),
          timestampColumn(runner, 'updated_at'),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['flavor_id'],
            referencedTableName: 'flavors',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          }),
          new TableForeignKey({
            columnNames: ['host_id'],
            referencedTableName: 'hosts',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          }),
        ],
        indices: [new TableIndex({ columnNames: ['host_id'] }), new TableIndex({ columnNames: ['flavor_id'] })],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('instances');
    await runner.dropTable('flavors');
    await runner.dropTable('hosts');
  }
}
