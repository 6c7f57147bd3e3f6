import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { dateColumn, doubleColumn } from '../column-types';

/** The fast start: when the request arrived (before its pre-checks), and how long it took until the copy's first byte. */
export class FastStart1732300000000 implements MigrationInterface {
  name = 'FastStart1732300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumns('live_migrations', [
      new TableColumn(dateColumn(runner, 'requested_at')),
      new TableColumn(doubleColumn('request_to_first_byte_ms')),
    ]);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('live_migrations', 'request_to_first_byte_ms');
    await runner.dropColumn('live_migrations', 'requested_at');
  }
}
