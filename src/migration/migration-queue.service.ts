import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { advisoryXactLock, XACT_LOCK } from '../common/repositories/advisory-xact-lock';
import { Transactions } from '../common/repositories/transactions';
import { LIVEMIG_CONFIG, type LivemigConfig } from '../config/livemig-config';
import { admitBeside, type QueueLimits } from './core';
import { AbortRequests } from './engine/abort-requests';
import { MigrationRunner } from './migration-runner.service';
import { MigrationOwnershipRepository } from './repositories/migration-ownership.repository';

/**
 * Starts queued migrations as concurrency slots free up, cluster-wide: the queue is the `queued` rows
 * without an owner, the running set the rows with one. Admission runs in a transaction under an
 * advisory lock, so replicas take turns, see each other's claims and admit oldest first. Every monitor
 * interval it looks again (a slot freed on another replica) and picks up abort requests made anywhere.
 */
@Injectable()
export class MigrationQueueService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(MigrationQueueService.name);
  private readonly limits: QueueLimits;
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly replicaId: string;
  private readonly leaseMs: number;
  private readonly tickMs: number;
  private stopped = false;
  private pumping: Promise<void> = Promise.resolve();
  private pumpAgain = false;
  private pumpQueued = false;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    @Inject(LIVEMIG_CONFIG) config: LivemigConfig,
    private readonly runner: MigrationRunner,
    private readonly transactions: Transactions,
    private readonly ownership: MigrationOwnershipRepository,
    private readonly aborts: AbortRequests,
  ) {
    this.limits = {
      perCluster: config.migration.parallelMigrationsPerCluster,
      perOutboundHost: config.migration.parallelOutboundMigrationsPerHost,
      perInboundHost: config.migration.parallelInboundMigrationsPerHost,
    };
    this.replicaId = config.replica.id;
    this.leaseMs = config.replica.leaseMs;
    this.tickMs = config.migration.monitorIntervalMs;
  }

  onApplicationBootstrap(): void {
    const tick = setInterval(() => void this.tick(), this.tickMs);
    const renew = setInterval(() => void this.renewLeases(), Math.max(100, Math.floor(this.leaseMs / 3)));
    for (const t of [tick, renew]) t.unref();
    this.timers = [tick, renew];
    void this.submit();
  }

  /** A migration was queued (here or anywhere): admit what fits now; resolves once that admission ran. */
  submit(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.pumpAgain = true;
    if (this.pumpQueued) return this.pumping;
    this.pumpQueued = true;
    this.pumping = this.pumping.then(async () => {
      this.pumpQueued = false;
      while (this.pumpAgain && !this.stopped) {
        this.pumpAgain = false;
        await this.pumpOnce().catch((err: unknown) => this.logger.warn(`queue: ${String(err)}`));
      }
    });
    return this.pumping;
  }

  /** Takes a migration that has not started out of the queue (for this replica to end it); false when it has started. */
  withdraw(migrationId: string): Promise<boolean> {
    return this.ownership.claimQueued(migrationId, this.replicaId, this.leaseMs);
  }

  /** Resolves when the migration's run on this replica has ended (for tests and drains). */
  whenDone(migrationId: string): Promise<unknown> {
    return this.inFlight.get(migrationId) ?? Promise.resolve();
  }

  /** Whether this replica runs the migration now. */
  runsHere(migrationId: string): boolean {
    return this.inFlight.has(migrationId);
  }

  /** A clean stop hands its migrations over at once: their leases expire now, and the leader adopts them at its next scan. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await this.pumping.catch(() => undefined);
    await this.ownership.giveUp(this.replicaId).catch((err: unknown) => this.logger.warn(`giving up leases: ${String(err)}`));
  }

  onApplicationShutdown(): void {
    // Running libvirt jobs go on without us; the lease runs out and another replica (or this one, restarted) adopts them.
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    void this.submit();
    if (this.inFlight.size === 0) return;
    try {
      for (const id of await this.ownership.abortsRequestedOf(this.replicaId)) if (this.inFlight.has(id)) this.aborts.request(id);
    } catch (err) {
      this.logger.warn(`abort poll: ${String(err)}`);
    }
  }

  private async renewLeases(): Promise<void> {
    if (this.stopped) return;
    await this.ownership.renew(this.replicaId, this.leaseMs).catch((err: unknown) => this.logger.warn(`lease renewal: ${String(err)}`));
  }

  private async pumpOnce(): Promise<void> {
    const admitted = await this.transactions.run(async (tx) => {
      await advisoryXactLock(tx, XACT_LOCK.queue, 'admission');
      const ownership = this.ownership.inTransaction(tx);
      const view = await ownership.admissionView();
      const claimed: string[] = [];
      for (const m of admitBeside(view.running, view.waiting, this.limits)) {
        if (await ownership.claimQueued(m.id, this.replicaId, this.leaseMs)) claimed.push(m.id);
      }
      return claimed;
    });
    for (const id of admitted) this.start(id);
  }

  /** Runs a migration this replica owns (admitted by its queue). */
  private start(id: string): void {
    const run = this.runner
      .run(id)
      .catch((err: unknown) => this.logger.error(`migration ${id}: ${String(err)}`))
      .finally(() => {
        this.inFlight.delete(id);
        void this.submit();
      });
    this.inFlight.set(id, run);
  }
}
