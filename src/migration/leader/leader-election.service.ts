import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { LEADER_OPTIONS, type LeaderOptions } from './leader-options';
import { AdvisoryLocksRepository, type AdvisoryLockKey, type LockSession } from './repositories/advisory-locks.repository';

/** Distinct from the schema-migration lock key. */
export const LEADER_LOCK_KEY = 7_356_002;
const LEADER_LOCK: AdvisoryLockKey = { key: LEADER_LOCK_KEY };

export interface LeadershipView {
  leader: boolean;
  /** sqlite: the single instance leads; postgres: a session-level advisory lock on a dedicated connection. */
  mechanism: 'single-instance' | 'pg-advisory-lock';
  lockKey: number | null;
  /** PostgreSQL backend pid of the session that holds (or asks for) the lock. */
  sessionPid: number | null;
  retryIntervalMs: number;
  since: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
}

/**
 * Only the leader runs policy jobs. On PostgreSQL the leader holds pg_try_advisory_lock on a connection
 * of its own: if the process dies the session ends and the lock frees, and another replica takes it on
 * its next try. Followers (and a leader whose connection broke) try again every retryIntervalMs.
 */
@Injectable()
export class LeaderElection implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LeaderElection.name);
  private session: LockSession | null = null;
  private sessionPid: number | null = null;
  private leading = false;
  private since: Date | null = null;
  private lastAttemptAt: Date | null = null;
  private lastError: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private attempt: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly locks: AdvisoryLocksRepository,
    @Inject(LEADER_OPTIONS) private readonly options: LeaderOptions,
  ) {}

  private get postgres(): boolean {
    return this.locks.available;
  }

  isLeader(): boolean {
    return this.postgres ? this.leading : true;
  }

  view(): LeadershipView {
    return {
      leader: this.isLeader(),
      mechanism: this.postgres ? 'pg-advisory-lock' : 'single-instance',
      lockKey: this.postgres ? LEADER_LOCK_KEY : null,
      sessionPid: this.sessionPid,
      retryIntervalMs: this.options.retryIntervalMs,
      since: this.postgres ? (this.since?.toISOString() ?? null) : null,
      lastAttemptAt: this.lastAttemptAt?.toISOString() ?? null,
      lastError: this.lastError,
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.postgres) return;
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.options.retryIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.attempt;
    const session = this.session;
    this.session = null;
    this.leading = false;
    this.sessionPid = null;
    if (!session) return;
    // Returning the connection to the pool would keep the session, and the lock, alive.
    await session.unlock(LEADER_LOCK).catch(() => undefined);
    await session.close().catch(() => undefined);
  }

  /**
   * Asked right before a job runs: a leader whose session died since the last tick finds out now,
   * so two replicas never both run a tick for long.
   */
  async confirmLeadership(): Promise<boolean> {
    if (!this.postgres) return true;
    await this.tick();
    return this.leading;
  }

  /** One try: a follower asks for the lock; a leader checks that its session still answers. */
  tick(): Promise<void> {
    this.attempt = this.attempt.then(() => (this.stopped ? undefined : this.tryOnce()));
    return this.attempt;
  }

  private async tryOnce(): Promise<void> {
    this.lastAttemptAt = new Date();
    try {
      if (!this.session) {
        this.session = await this.locks.openSession();
        this.sessionPid = this.session.pid;
      }
      if (this.leading) {
        await this.session.ping();
        return;
      }
      if (await this.session.tryLock(LEADER_LOCK)) {
        this.leading = true;
        this.since = new Date();
        this.logger.log('leader: policy jobs run on this replica');
      }
      this.lastError = null;
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      if (this.leading) this.logger.warn(`lost leadership: ${this.lastError}`);
      this.leading = false;
      this.since = null;
      this.sessionPid = null;
      const broken = this.session;
      this.session = null;
      await broken?.close().catch(() => undefined);
    }
  }
}
