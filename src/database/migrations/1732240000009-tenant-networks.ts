import { Table, TableColumn, TableForeignKey, TableIndex, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';
import { dateColumn, idColumn, timestampColumn } from '../column-types';

/** Neutron-style tenant networks (VXLAN), ports with bindings, DVR/legacy routers, floating IPs; host VTEPs and agent heartbeats. */
export class TenantNetworks1732240000009 implements MigrationInterface {
  name = 'TenantNetworks1732240000009';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumns('hosts', [
      new TableColumn({ name: 'vtep_ip', type: 'varchar', length: '15', isNullable: true }),
      new TableColumn({ name: 'agent_state', type: 'varchar', length: '8', isNullable: true }),
      new TableColumn(dateColumn(runner, 'agent_last_seen_at')),
    ]);
    await runner.createTable(
      new Table({
        name: 'networks',
        columns: [
          idColumn(),
          { name: 'name', type: 'varchar', length: '63' },
          { name: 'vni', type: 'integer', isUnique: true },
          { name: 'mtu', type: 'integer' },
          { name: 'external', type: 'boolean', default: false },
          { name: 'static_vteps', type: 'text' },
          timestampColumn(runner, 'created_at'),
          timestampColumn(runner, 'updated_at'),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'subnets',
        columns: [
          idColumn(),
          { name: 'network_id', type: 'varchar', length: '36' },
          { name: 'cidr', type: 'varchar', length: '18' },
          { name: 'gateway_ip', type: 'varchar', length: '15' },
          { name: 'pool_start', type: 'varchar', length: '15' },
          { name: 'pool_end', type: 'varchar', length: '15' },
          timestampColumn(runner, 'created_at'),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['network_id'],
            referencedTableName: 'networks',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          }),
        ],
        indices: [new TableIndex({ columnNames: ['network_id'] })],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'routers',
        columns: [
          idColumn(),
          { name: 'name', type: 'varchar', length: '63' },
          { name: 'distributed', type: 'boolean' },
          { name: 'legacy_host_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'external_network_id', type: 'varchar', length: '36', isNullable: true },
          timestampColumn(runner, 'created_at'),
          timestampColumn(runner, 'updated_at'),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['legacy_host_id'],
            referencedTableName: 'hosts',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          }),
          new TableForeignKey({
            columnNames: ['external_network_id'],
            referencedTableName: 'networks',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          }),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'ports',
        columns: [
          idColumn(),
          { name: 'network_id', type: 'varchar', length: '36' },
          { name: 'subnet_id', type: 'varchar', length: '36' },
          { name: 'mac', type: 'varchar', length: '17', isUnique: true },
          { name: 'fixed_ip', type: 'varchar', length: '15' },
          { name: 'device_owner', type: 'varchar', length: '32' },
          { name: 'device_id', type: 'varchar', length: '36', isNullable: true },
          timestampColumn(runner, 'created_at'),
          timestampColumn(runner, 'updated_at'),
        ],
        uniques: [new TableUnique({ columnNames: ['subnet_id', 'fixed_ip'] })],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['network_id'],
            referencedTableName: 'networks',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          }),
          new TableForeignKey({
            columnNames: ['subnet_id'],
            referencedTableName: 'subnets',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          }),
        ],
        indices: [new TableIndex({ columnNames: ['network_id'] }), new TableIndex({ columnNames: ['device_id'] })],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'port_bindings',
        columns: [
          { name: 'port_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'host_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'status', type: 'varchar', length: '8' },
          { name: 'vif_details', type: 'text' },
          timestampColumn(runner, 'created_at'),
          timestampColumn(runner, 'updated_at'),
        ],
        checks: [{ expression: "status IN ('ACTIVE','INACTIVE')" }],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['port_id'],
            referencedTableName: 'ports',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
          new TableForeignKey({
            columnNames: ['host_id'],
            referencedTableName: 'hosts',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [new TableIndex({ columnNames: ['host_id'] })],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'floating_ips',
        columns: [
          idColumn(),
          { name: 'network_id', type: 'varchar', length: '36' },
          { name: 'address', type: 'varchar', length: '15', isUnique: true },
          { name: 'port_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'router_id', type: 'varchar', length: '36', isNullable: true },
          timestampColumn(runner, 'created_at'),
          timestampColumn(runner, 'updated_at'),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['network_id'],
            referencedTableName: 'networks',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          }),
          new TableForeignKey({
            columnNames: ['port_id'],
            referencedTableName: 'ports',
            referencedColumnNames: ['id'],
            onDelete: 'SET NULL',
          }),
          new TableForeignKey({
            columnNames: ['router_id'],
            referencedTableName: 'routers',
            referencedColumnNames: ['id'],
            onDelete: 'SET NULL',
          }),
        ],
      }),
    );
    // One row: the desired-state revision, bumped by every change so agents can tell old from new across restarts.
    await runner.createTable(
      new Table({
        name: 'network_revision',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'revision', type: 'integer' },
        ],
      }),
    );
    await runner.query('INSERT INTO network_revision (id, revision) VALUES (1, 0)');
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['network_revision', 'floating_ips', 'port_bindings', 'ports', 'routers', 'subnets', 'networks'])
      await runner.dropTable(table);
    for (const column of ['agent_last_seen_at', 'agent_state', 'vtep_ip']) await runner.dropColumn('hosts', column);
  }
}
