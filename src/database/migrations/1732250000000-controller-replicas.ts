import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { dateColumn } from '../column-types';

const TERMINAL = "('completed', 'failed', 'aborted', 'rolled-back')";
const SUPERSEDED = 'superseded at schema upgrade: a newer migration of the same instance was active';

/**
 * Several controllers on one database: at most one active migration per instance (a partial unique index,
 * so the database refuses the second insert whatever replica makes it), and an owner with a lease on each
 * migration a replica runs.
 */
export class ControllerReplicas1732250000000 implements MigrationInterface {
  name = 'ControllerReplicas1732250000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumns('live_migrations', [
      new TableColumn({ name: 'owner_id', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn(dateColumn(runner, 'lease_expires_at')),
    ]);
    // Older versions could leave two active rows of one instance; only the newest stays active.
    await runner.query(
      `UPDATE live_migrations SET state = 'failed', failure_reason = '${SUPERSEDED}'
       WHERE state NOT IN ${TERMINAL} AND EXISTS (
         SELECT 1 FROM live_migrations o WHERE o.instance_id = live_migrations.instance_id AND o.state NOT IN ${TERMINAL}
           AND (o.created_at > live_migrations.created_at OR (o.created_at = live_migrations.created_at AND o.id > live_migrations.id)))`,
    );
    // Partial indexes exist on PostgreSQL and SQLite alike.
    await runner.query(
      `CREATE UNIQUE INDEX uq_live_migrations_active_instance ON live_migrations (instance_id) WHERE state NOT IN ${TERMINAL}`,
    );
    await runner.query(`CREATE INDEX ix_live_migrations_owner ON live_migrations (owner_id) WHERE state NOT IN ${TERMINAL}`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX ix_live_migrations_owner');
    await runner.query('DROP INDEX uq_live_migrations_active_instance');
    await runner.dropColumn('live_migrations', 'lease_expires_at');
    await runner.dropColumn('live_migrations', 'owner_id');
  }
}
