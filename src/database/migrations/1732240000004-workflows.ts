import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { dateColumn, doubleColumn, idColumn, timestampColumn } from '../column-types';

/** Operator workflows: host drains with one row per instance, rebalancing policies and their audited runs. */
export class Workflows1732240000004 implements MigrationInterface {
  name = 'Workflows1732240000004';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'drains',
        columns: [
          idColumn(),
          { name: 'host_id', type: 'varchar', length: '36' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'max_parallel', type: 'integer' },
          { name: 'policy_name', type: 'varchar', length: '63', isNullable: true },
          { name: 'policy', type: 'text', isNullable: true },
          { name: 'plan', type: 'text' },
          { name: 'cancel_requested', type: 'boolean', default: false },
          { name: 'failure_reason', type: 'text', isNullable: true },
          timestampColumn(runner, 'created_at'),
          timestampColumn(runner, 'updated_at'),
          dateColumn(runner, 'finished_at'),
        ],
        indices: [new TableIndex({ columnNames: ['host_id'] }), new TableIndex({ columnNames: ['state'] })],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'drain_moves',
        columns: [
          idColumn(),
          { name: 'drain_id', type: 'varchar', length: '36' },
          { name: 'move_order', type: 'integer' },
          { name: 'instance_id', type: 'varchar', length: '36' },
          { name: 'instance_name', type: 'varchar', length: '63' },
          { name: 'destination_host_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'migration_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'outcome', type: 'varchar', length: '16' },
          { name: 'reason', type: 'text', isNullable: true },
          doubleColumn('predicted_time_sec'),
          doubleColumn('predicted_downtime_ms'),
          timestampColumn(runner, 'updated_at'),
        ],
        indices: [new TableIndex({ columnNames: ['drain_id', 'move_order'] })],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'rebalance_policies',
        columns: [
          idColumn(),
          { name: 'name', type: 'varchar', length: '63', isUnique: true },
          { name: 'metric', type: 'varchar', length: '8' },
          { name: 'goal', type: 'text' },
          { name: 'cron', type: 'varchar', length: '120' },
          { name: 'max_migrations_per_run', type: 'integer' },
          { name: 'cooldown_sec', type: 'integer' },
          { name: 'mode', type: 'varchar', length: '16' },
          { name: 'enabled', type: 'boolean', default: true },
          timestampColumn(runner, 'created_at'),
          timestampColumn(runner, 'updated_at'),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'rebalance_runs',
        columns: [
          idColumn(),
          { name: 'policy_id', type: 'varchar', length: '36' },
          { name: 'trigger', type: 'varchar', length: '16' },
          { name: 'mode', type: 'varchar', length: '16' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'inputs', type: 'text' },
          { name: 'moves', type: 'text' },
          doubleColumn('stddev_before'),
          doubleColumn('stddev_after'),
          { name: 'stop_reason', type: 'varchar', length: '32', isNullable: true },
          { name: 'results', type: 'text' },
          timestampColumn(runner, 'created_at'),
          dateColumn(runner, 'finished_at'),
        ],
        indices: [new TableIndex({ columnNames: ['policy_id', 'created_at'] })],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['rebalance_runs', 'rebalance_policies', 'drain_moves', 'drains']) await runner.dropTable(table);
  }
}
