import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

// North-south figures (probe to the floating IP) and the timed network steps of each migration.
const FIGURES = ['ns_downtime_ms', 'ns_loss_pct', 'network_convergence_ms'];

export class NetworkFollow1732240000007 implements MigrationInterface {
  name = 'NetworkFollow1732240000007';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumns('live_migrations', [
      ...FIGURES.map((name) => new TableColumn({ name, type: 'double precision', isNullable: true })),
      new TableColumn({ name: 'network_steps', type: 'text', isNullable: true }),
    ]);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const name of [...FIGURES, 'network_steps']) await runner.dropColumn('live_migrations', name);
  }
}
