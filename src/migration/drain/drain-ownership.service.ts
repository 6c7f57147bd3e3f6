import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Class id of drain ownership locks; the object id is hashtext(drain id). */
export const DRAIN_LOCK_CLASS = 7_356_003;

export type ReleaseOwnership = () => Promise<void>;

/**
 * Which controller runs a drain. On PostgreSQL the executing replica holds a session-level advisory lock
 * per drain on a connection of its own; when that replica dies its session ends and the lock frees,
 * so another can claim the drain and resume it. With SQLite there is one controller: it owns them all.
 */
@Injectable()
export class DrainOwnership {
  constructor(private readonly dataSource: DataSource) {}

  async claim(drainId: string): Promise<ReleaseOwnership | null> {
    if (this.dataSource.options.type !== 'postgres') return async () => undefined;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const rows: { locked: boolean }[] = await runner.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [DRAIN_LOCK_CLASS, drainId]);
      if (rows[0]?.locked) {
        return async () => {
          // Unlock before the connection goes back to the pool, where the session (and lock) would live on.
          await runner.query('SELECT pg_advisory_unlock($1, hashtext($2))', [DRAIN_LOCK_CLASS, drainId]).catch(() => undefined);
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
