import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { dateColumn, doubleColumn, idColumn, serialIdColumn, timestampColumn } from '../column-types';

export class LiveMigrations1732240000002 implements MigrationInterface {
  name = 'LiveMigrations1732240000002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('hosts', new TableColumn({ name: 'agent_token', type: 'varchar', length: '255', isNullable: true }));
    await runner.createTable(
      new Table({
        name: 'live_migrations',
        columns: [
          idColumn(),
          { name: 'instance_id', type: 'varchar', length: '36' },
          { name: 'instance_name', type: 'varchar', length: '63' },
          { name: 'domain_name', type: 'varchar', length: '63' },
          { name: 'flavor_name', type: 'varchar', length: '63' },
          { name: 'flavor_ram_mib', type: 'integer' },
          { name: 'source_host_id', type: 'varchar', length: '36' },
          { name: 'destination_host_id', type: 'varchar', length: '36' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'policy_name', type: 'varchar', length: '63' },
          { name: 'policy', type: 'text' },
          { name: 'failure_reason', type: 'text', isNullable: true },
          { name: 'abort_requested', type: 'boolean', default: false },
          doubleColumn('hv_total_time_ms'),
          doubleColumn('hv_downtime_ms'),
          doubleColumn('hv_setup_time_ms'),
          doubleColumn('hv_data_processed_bytes'),
          doubleColumn('hv_iterations'),
          doubleColumn('hv_dirty_rate_pages_per_sec'),
          doubleColumn('max_downtime_ms'),
          { name: 'convergence_events', type: 'text' },
          dateColumn(runner, 'started_at'),
          dateColumn(runner, 'finished_at'),
          timestampColumn(runner, 'created_at'),
          timestampColumn(runner, 'updated_at'),
        ],
        indices: [new TableIndex({ columnNames: ['instance_id'] }), new TableIndex({ columnNames: ['state'] })],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'migration_phases',
        columns: [
          serialIdColumn(),
          { name: 'migration_id', type: 'varchar', length: '36' },
          { name: 'phase', type: 'varchar', length: '16' },
          dateColumn(runner, 'entered_at', true),
          { name: 'detail', type: 'text', isNullable: true },
        ],
        indices: [new TableIndex({ columnNames: ['migration_id', 'entered_at'] })],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'migration_samples',
        columns: [
          serialIdColumn(),
          { name: 'migration_id', type: 'varchar', length: '36' },
          dateColumn(runner, 'sampled_at', true),
          doubleColumn('elapsed_ms', true),
          doubleColumn('data_processed_bytes'),
          doubleColumn('data_remaining_bytes'),
          doubleColumn('data_total_bytes'),
          doubleColumn('dirty_rate_pages_per_sec'),
          doubleColumn('memory_iteration'),
          doubleColumn('bandwidth_bytes_per_sec'),
          doubleColumn('max_downtime_ms'),
        ],
        indices: [new TableIndex({ columnNames: ['migration_id', 'elapsed_ms'] })],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'reservations',
        columns: [
          idColumn(),
          { name: 'migration_id', type: 'varchar', length: '36' },
          { name: 'host_id', type: 'varchar', length: '36' },
          { name: 'vcpus', type: 'integer' },
          { name: 'memory_mib', type: 'integer' },
          timestampColumn(runner, 'created_at'),
          dateColumn(runner, 'released_at'),
        ],
        indices: [new TableIndex({ columnNames: ['migration_id'] }), new TableIndex({ columnNames: ['host_id'] })],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['reservations', 'migration_samples', 'migration_phases', 'live_migrations']) await runner.dropTable(table);
    await runner.dropColumn('hosts', 'agent_token');
  }
}
