import { Table, TableForeignKey, TableIndex, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idColumn, timestampColumn } from '../column-types';

/** Site peers with their link policy, and tenant networks stretched to them. */
export class SiteInterconnection1732310000000 implements MigrationInterface {
  name = 'SiteInterconnection1732310000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'site_peers',
        columns: [
          idColumn(),
          { name: 'name', type: 'varchar', length: '63', isUnique: true },
          { name: 'local_gateway_ip', type: 'varchar', length: '45' },
          { name: 'remote_gateway_ip', type: 'varchar', length: '45' },
          { name: 'underlay_mtu_bytes', type: 'integer' },
          { name: 'outer_family', type: 'varchar', length: '4' },
          { name: 'encryption', type: 'varchar', length: '9' },
          { name: 'esp_mode', type: 'varchar', length: '9', isNullable: true },
          { name: 'esp_cipher', type: 'varchar', length: '24', isNullable: true },
          { name: 'nat_traversal', type: 'boolean', default: false },
          { name: 'link_bandwidth_mbps', type: 'integer', isNullable: true },
          timestampColumn(runner, 'created_at'),
          timestampColumn(runner, 'updated_at'),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'network_extensions',
        columns: [
          idColumn(),
          { name: 'network_id', type: 'varchar', length: '36' },
          { name: 'site_peer_id', type: 'varchar', length: '36' },
          { name: 'inner_vlan_tag', type: 'boolean', default: false },
          timestampColumn(runner, 'created_at'),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['network_id'],
            referencedTableName: 'networks',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          }),
          new TableForeignKey({
            columnNames: ['site_peer_id'],
            referencedTableName: 'site_peers',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          }),
        ],
        uniques: [new TableUnique({ columnNames: ['network_id', 'site_peer_id'] })],
        indices: [new TableIndex({ columnNames: ['site_peer_id'] })],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('network_extensions');
    await runner.dropTable('site_peers');
  }
}
