import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import { LEADER_OPTIONS, type LeaderOptions } from './leader-options';

/** Distinct from the schema-migration lock key. */
export const LEADER_LOCK_KEY = 7_356_002;

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
  private runner: QueryRunner | null = null;
  private sessionPid: number | null = null;
  private leading = false;
  private since: Date | null = null;
  private lastAttemptAt: Date | null = null;
  private lastError: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private attempt: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(LEADER_OPTIONS) private readonly options: LeaderOptions,
  ) {}

  private get postgres(): boolean {
    return this.dataSource.options.type === 'postgres';
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
    const runner = this.runner;
    this.runner = null;
    this.leading = false;
    this.sessionPid = null;
    if (!runner) return;
    // Returning the connection to the pool would keep the session, and the lock, alive.
    await runner.query('SELECT pg_advisory_unlock($1)', [LEADER_LOCK_KEY]).catch(() => undefined);
    await runner.release().catch(() => undefined);
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
      if (!this.runner) {
        this.runner = this.dataSource.createQueryRunner();
        await this.runner.connect();
        const [row] = (await this.runner.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[];
        this.sessionPid = row ? Number(row.pid) : null;
      }
      if (this.leading) {
        await this.runner.query('SELECT 1');
        return;
      }
      const rows = (await this.runner.query('SELECT pg_try_advisory_lock($1) AS locked', [LEADER_LOCK_KEY])) as { locked: boolean }[];
      if (rows[0]?.locked) {
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
      const broken = this.runner;
      this.runner = null;
      await broken?.release().catch(() => undefined);
    }
  }
}
