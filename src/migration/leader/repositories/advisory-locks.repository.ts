import { Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';

/** One advisory lock: a single bigint key, or a (class id, hashtext(name)) pair. */
export type AdvisoryLockKey = { key: number } | { classId: number; name: string };

/**
 * A PostgreSQL session of its own (a dedicated connection, not the pool's): session-level advisory locks
 * live as long as it does, and free themselves when it ends.
 */
export interface LockSession {
  /** The backend pid of the session, as pg_stat_activity and pg_terminate_backend know it. */
  readonly pid: number | null;
  tryLock(lock: AdvisoryLockKey): Promise<boolean>;
  unlock(lock: AdvisoryLockKey): Promise<void>;
  /** Rejects when the session is gone (terminated, connection broken). */
  ping(): Promise<void>;
  /** Ends the session; unlock first, or a pooled connection would keep the locks alive. */
  close(): Promise<void>;
}

/** The advisory-lock queries of leader election and work ownership, behind one adapter. */
@Injectable()
export class AdvisoryLocksRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Advisory locks exist on PostgreSQL only; SQLite has one controller. */
  get available(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  async openSession(): Promise<LockSession> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [row] = (await runner.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[];
      return new QueryRunnerLockSession(runner, row ? Number(row.pid) : null);
    } catch (err) {
      await runner.release().catch(() => undefined);
      throw err;
    }
  }
}

class QueryRunnerLockSession implements LockSession {
  constructor(
    private readonly runner: QueryRunner,
    readonly pid: number | null,
  ) {}

  async tryLock(lock: AdvisoryLockKey): Promise<boolean> {
    const rows = (
      'key' in lock
        ? await this.runner.query('SELECT pg_try_advisory_lock($1) AS locked', [lock.key])
        : await this.runner.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [lock.classId, lock.name])
    ) as { locked: boolean }[];
    return Boolean(rows[0]?.locked);
  }

  async unlock(lock: AdvisoryLockKey): Promise<void> {
    if ('key' in lock) await this.runner.query('SELECT pg_advisory_unlock($1)', [lock.key]);
    else await this.runner.query('SELECT pg_advisory_unlock($1, hashtext($2))', [lock.classId, lock.name]);
  }

  async ping(): Promise<void> {
    await this.runner.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.runner.release();
  }
}
