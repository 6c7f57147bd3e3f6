import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { LEADER_OPTIONS, type LeaderOptions } from '../leader/leader-options';
import { DrainExecutor } from './drain-executor.service';
import { DrainOwnership } from './drain-ownership.service';
import { DrainsRepository } from './repositories/drains.repository';

/**
 * Resumes drains whose controller went away: at start, and every retry interval, any running drain
 * nobody owns (its owner's session, and so its lock, is gone) is claimed and resumed here.
 */
@Injectable()
export class DrainRecovery implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DrainRecovery.name);
  private timer: NodeJS.Timeout | null = null;
  private scanning: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly drains: DrainsRepository,
    private readonly ownership: DrainOwnership,
    private readonly executor: DrainExecutor,
    @Inject(LEADER_OPTIONS) private readonly options: LeaderOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.scan();
    this.timer = setInterval(() => void this.scan(), this.options.retryIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.scanning;
  }

  scan(): Promise<void> {
    this.scanning = this.scanning
      .then(() => (this.stopped ? undefined : this.scanOnce()))
      .catch((err: unknown) => this.logger.warn(`drain recovery: ${String(err)}`));
    return this.scanning;
  }

  private async scanOnce(): Promise<void> {
    for (const drain of await this.drains.findRunning()) {
      if (this.stopped || this.executor.isRunningHere(drain.id)) continue;
      const release = await this.ownership.claim(drain.id);
      if (!release) continue;
      // Re-read under ownership: the previous owner may have finished it meanwhile.
      const current = await this.drains.findById(drain.id);
      if (current?.state !== 'running' || this.stopped) {
        await release();
        continue;
      }
      this.logger.warn(`resuming drain ${drain.id} of host ${drain.hostId}`);
      this.executor.start(current, release);
    }
  }
}
