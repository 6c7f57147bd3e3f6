import { describe, expect, it } from 'vitest';
import type {
  AdvisoryLocksRepository,
  AdvisoryLockKey,
  LockSession,
} from '../../../src/migration/leader/repositories/advisory-locks.repository';
import { SessionLocks } from '../../../src/migration/leader/session-locks.service';

/** Advisory locks as PostgreSQL keeps them: held per session, freed when the session closes. */
class FakeAdvisoryLocks {
  available = true;
  readonly held = new Map<string, number>();
  closed = 0;
  private nextPid = 100;

  openSession(): Promise<LockSession> {
    const pid = this.nextPid++;
    const name = (lock: AdvisoryLockKey) => ('key' in lock ? String(lock.key) : `${lock.classId}:${lock.name}`);
    const session: LockSession = {
      pid,
      tryLock: (lock) => {
        const owner = this.held.get(name(lock));
        if (owner !== undefined && owner !== pid) return Promise.resolve(false);
        this.held.set(name(lock), pid);
        return Promise.resolve(true);
      },
      unlock: (lock) => {
        if (this.held.get(name(lock)) === pid) this.held.delete(name(lock));
        return Promise.resolve();
      },
      ping: () => Promise.resolve(),
      close: () => {
        this.closed++;
        for (const [key, owner] of this.held) if (owner === pid) this.held.delete(key);
        return Promise.resolve();
      },
    };
    return Promise.resolve(session);
  }
}

const sessionLocks = (fake: FakeAdvisoryLocks) => new SessionLocks(fake as unknown as AdvisoryLocksRepository);

describe('SessionLocks', () => {
  it('one claim per key at a time; release frees it and ends the session', async () => {
    const fake = new FakeAdvisoryLocks();
    const locks = sessionLocks(fake);
    const release = await locks.claim(7, 'drain-1');
    expect(release).toEqual(expect.any(Function));
    expect(await locks.claim(7, 'drain-1')).toBeNull();
    expect(await locks.claim(7, 'drain-2')).toEqual(expect.any(Function));
    await release!();
    expect(fake.held.has('7:drain-1')).toBe(false);
    expect(await locks.claim(7, 'drain-1')).toEqual(expect.any(Function));
    // The refused claim's session is closed at once, not left in the pool.
    expect(fake.closed).toBe(2);
  });

  it('without advisory locks (SQLite) every claim succeeds and opens no session', async () => {
    const fake = new FakeAdvisoryLocks();
    fake.available = false;
    const locks = sessionLocks(fake);
    expect(await locks.claim(7, 'x')).toEqual(expect.any(Function));
    expect(await locks.claim(7, 'x')).toEqual(expect.any(Function));
    expect(fake.held.size).toBe(0);
  });
});
