import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type ReleaseLock = () => Promise<void>;

/**
 * Ownership of one piece of work (a drain, a rebalancing run) across replicas: a PostgreSQL session-level
 * advisory lock (classId, hashtext(key)) on a connection of its own. When the owner dies its session ends
 * and the lock frees, so another replica can tell the work is orphaned. SQLite has one controller: it
 * owns everything, and callers keep their own in-process bookkeeping.
 */
@Injectable()
export class SessionLocks {
  constructor(private readonly dataSource: DataSource) {}

  async claim(classId: number, key: string): Promise<ReleaseLock | null> {
    if (this.dataSource.options.type !== 'postgres') return async () => undefined;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const rows = (await runner.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [classId, key])) as { locked: boolean }[];
      if (rows[0]?.locked) {
        return async () => {
          // Unlock before the connection goes back to the pool, where the session (and lock) would live on.
          await runner.query('SELECT pg_advisory_unlock($1, hashtext($2))', [classId, key]).catch(() => undefined);
          await runner.release().catch(() => undefined);
        };
      }
    } catch (err) {
      await runner.release().catch(() => undefined);
      throw err;
    }
    await runner.release();
    return null;
  }
}
