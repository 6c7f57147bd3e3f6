import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The peers whose path class the migration changes, computed at pre-migration, for the migration's report. */
export class PathChanges1732330000000 implements MigrationInterface {
  name = 'PathChanges1732330000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('live_migrations', new TableColumn({ name: 'path_changes', type: 'text', isNullable: true }));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('live_migrations', 'path_changes');
  }
}
