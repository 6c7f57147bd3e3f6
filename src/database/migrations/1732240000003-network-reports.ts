import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

// Network-observed figures sit beside the hypervisor's, as columns so reports can aggregate them.
const REPORT_COLUMNS = [
  'net_total_migration_time_ms',
  'net_payload_bytes',
  'net_throughput_mbps',
  'net_downtime_ms',
  'net_downtime_loss_ms',
  'net_loss_pct',
  'net_jitter_ms',
  'net_rtt_avg_ms',
  'net_max_reply_gap_ms',
  'net_probe_interval_ms',
];

export class NetworkReports1732240000003 implements MigrationInterface {
  name = 'NetworkReports1732240000003';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('instances', new TableColumn({ name: 'ip_address', type: 'varchar', length: '45', isNullable: true }));
    await runner.addColumns('live_migrations', [
      ...REPORT_COLUMNS.map((name) => new TableColumn({ name, type: 'double precision', isNullable: true })),
      new TableColumn({ name: 'report_state', type: 'varchar', length: '16', default: "'none'" }),
      new TableColumn({ name: 'report', type: 'text', isNullable: true }),
      new TableColumn({ name: 'report_error', type: 'text', isNullable: true }),
    ]);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const name of [...REPORT_COLUMNS, 'report_state', 'report', 'report_error']) await runner.dropColumn('live_migrations', name);
    await runner.dropColumn('instances', 'ip_address');
  }
}
