import { Injectable } from '@nestjs/common';
import { AdvisoryLocksRepository, type AdvisoryLockKey } from './repositories/advisory-locks.repository';

export type ReleaseLock = () => Promise<void>;

/**
 * Ownership of one piece of work (a drain, a rebalancing run) across replicas: a PostgreSQL session-level
 * advisory lock (classId, hashtext(key)) on a connection of its own. When the owner dies its session ends
 * and the lock frees, so another replica can tell the work is orphaned. SQLite has one controller: it
 * owns everything, and callers keep their own in-process bookkeeping.
 */
@Injectable()
export class SessionLocks {
  constructor(private readonly locks: AdvisoryLocksRepository) {}

  async claim(classId: number, key: string): Promise<ReleaseLock | null> {
    if (!this.locks.available) return async () => undefined;
    const lock: AdvisoryLockKey = { classId, name: key };
    const session = await this.locks.openSession();
    try {
      if (await session.tryLock(lock)) {
        return async () => {
          // Unlock before the connection goes back to the pool, where the session (and lock) would live on.
          await session.unlock(lock).catch(() => undefined);
          await session.close().catch(() => undefined);
        };
      }
    } catch (err) {
      await session.close().catch(() => undefined);
      throw err;
    }
    await session.close();
    return null;
  }
}
