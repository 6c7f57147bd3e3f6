import type { DataSource, Migration } from 'typeorm';

// Any fixed 64-bit key: replicas starting together take turns applying migrations.
const MIGRATION_LOCK_KEY = 7_356_001;

/** Applies pending migrations; on PostgreSQL under an advisory lock so replicas don't race. */
export async function runMigrations(dataSource: DataSource): Promise<Migration[]> {
  if (dataSource.options.type !== 'postgres') return dataSource.runMigrations({ transaction: 'each' });
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
