import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

// The pre-copy model's prediction of each migration, kept beside what happened.
const FIGURES = ['pred_iterations', 'pred_total_time_ms', 'pred_downtime_ms', 'pred_total_time_error'];

export class PrecopyPredictions1732240000008 implements MigrationInterface {
  name = 'PrecopyPredictions1732240000008';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumns('live_migrations', [
      ...FIGURES.map((name) => new TableColumn({ name, type: 'double precision', isNullable: true })),
      new TableColumn({ name: 'pred_converges', type: 'boolean', isNullable: true }),
      new TableColumn({ name: 'precopy_prediction', type: 'text', isNullable: true }),
    ]);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const name of [...FIGURES, 'pred_converges', 'precopy_prediction']) await runner.dropColumn('live_migrations', name);
  }
}
