import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Transactions } from '../common/repositories/transactions';
import { LIVEMIG_CONFIG, type LivemigConfig } from '../config/livemig-config';
import { errorMessage } from './hypervisor';
import { LeaderElection } from './leader/leader-election.service';
import { MigrationQueueService } from './migration-queue.service';
import { MigrationRecoveryService } from './migration-recovery.service';
import { MigrationOwnershipRepository } from './repositories/migration-ownership.repository';

/**
 * Adopts migrations whose owner went away: at start (SQLite: every unfinished one, since only this process
 * can run them; PostgreSQL: those whose owner's lease expired) and then, on the leader only, every third of
 * a lease. Rows are claimed in one transaction `FOR UPDATE SKIP LOCKED` with a fresh lease for this replica,
 * so a live owner's work is never touched and two adopters never take the same row. One that never started
 * goes back in line in its old place; one that started is settled by MigrationRecoveryService.
 */
@Injectable()
export class MigrationAdoptionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MigrationAdoptionService.name);
  private scanning: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private closing = false;
  /** Scans that adopted something, for the tests' and the bench's figures. */
  adoptedCount = 0;

  constructor(
    @Inject(LIVEMIG_CONFIG) private readonly config: LivemigConfig,
    private readonly transactions: Transactions,
    private readonly ownership: MigrationOwnershipRepository,
    private readonly queue: MigrationQueueService,
    private readonly recovery: MigrationRecoveryService,
    private readonly leader: LeaderElection,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const everyone = this.config.database.type === 'sqlite';
    await this.adopt(everyone);
    if (everyone) return;
    this.timer = setInterval(() => void this.scan(), Math.max(100, Math.floor(this.config.replica.leaseMs / 3)));
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    await this.scanning;
  }

  /** One scan, on the leader only: periodic work runs once per period cluster-wide. */
  scan(): Promise<void> {
    this.scanning = this.scanning
      .then(async () => {
        if (this.closing || !(await this.leader.confirmLeadership())) return;
        await this.adopt(false);
      })
      .catch((err: unknown) => this.logger.warn(`adoption scan: ${errorMessage(err)}`));
    return this.scanning;
  }

  private async adopt(everyone: boolean): Promise<void> {
    const me = this.config.replica.id;
    const orphans = await this.transactions.run((tx) =>
      this.ownership.inTransaction(tx).claimOrphans(me, this.config.replica.leaseMs, { everyone }),
    );
    if (orphans.length === 0) return;
    let requeued = 0;
    for (const m of orphans) {
      if (m.state === 'queued' && !m.abortRequested) {
        await this.ownership.requeue(m.id, me);
        requeued++;
      } else {
        this.logger.warn(`adopting migration ${m.id} (${m.state}) of ${m.instanceName}: its owner went away`);
        this.recovery.settleAdopted(m);
      }
    }
    this.adoptedCount += orphans.length;
    if (requeued > 0) void this.queue.submit();
  }
}
