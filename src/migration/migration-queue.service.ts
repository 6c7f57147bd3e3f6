import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { LIVEMIG_CONFIG, type LivemigConfig } from '../config/livemig-config';
import { MigrationQueue, type QueuedMigration } from './core';
import { MigrationRunner } from './migration-runner.service';

/** Starts queued migrations as concurrency slots free up. */
@Injectable()
export class MigrationQueueService implements OnApplicationShutdown {
  private readonly logger = new Logger(MigrationQueueService.name);
  private readonly queue: MigrationQueue;
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private stopped = false;

  constructor(
    @Inject(LIVEMIG_CONFIG) config: LivemigConfig,
    private readonly runner: MigrationRunner,
  ) {
    this.queue = new MigrationQueue({
      perCluster: config.migration.parallelMigrationsPerCluster,
      perOutboundHost: config.migration.parallelOutboundMigrationsPerHost,
      perInboundHost: config.migration.parallelInboundMigrationsPerHost,
    });
  }

  submit(migration: QueuedMigration): void {
    this.queue.enqueue(migration);
    this.pump();
  }

  /** Takes a migration that has not started out of the queue. */
  withdraw(migrationId: string): boolean {
    return this.queue.remove(migrationId);
  }

  isWaiting(migrationId: string): boolean {
    return this.queue.isWaiting(migrationId);
  }

  /** Resolves when the migration's run has ended (for tests and drains). */
  whenDone(migrationId: string): Promise<unknown> {
    return this.inFlight.get(migrationId) ?? Promise.resolve();
  }

  onApplicationShutdown(): void {
    // Running libvirt jobs go on without us; restart recovery settles them.
    this.stopped = true;
  }

  private pump(): void {
    if (this.stopped) return;
    for (const m of this.queue.admit()) {
      const run = this.runner
        .run(m.id)
        .catch((err: unknown) => this.logger.error(`migration ${m.id}: ${String(err)}`))
        .finally(() => {
          this.queue.finish(m.id);
          this.inFlight.delete(m.id);
          this.pump();
        });
      this.inFlight.set(m.id, run);
    }
  }
}
