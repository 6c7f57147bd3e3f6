import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { LEADERSHIP, type Leadership } from '../../common/leadership';
import { LIVEMIG_CONFIG, type LivemigConfig } from '../../config/livemig-config';
import { NetworkSyncService } from './network-sync.service';

/** Pushes the desired state to every agent periodically, so hosts a change did not reach catch up. */
@Injectable()
export class NetworkResyncService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(NetworkResyncService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly sync: NetworkSyncService,
    @Inject(LIVEMIG_CONFIG) private readonly config: LivemigConfig,
    @Optional() @Inject(LEADERSHIP) private readonly leadership: Leadership | null = null,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.network.resyncMs;
    if (every > 0) this.timer = setInterval(() => this.tick(), every);
  }

  /** Does not wait for a round in flight: an agent that does not answer would hold the shutdown for its timeout. */
  onModuleDestroy(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }

  private tick(): void {
    if (this.running || this.stopped) return;
    // With several replicas only the leader runs a round: once per period cluster-wide.
    this.running = this.leading()
      .then((leading) => (leading ? this.sync.syncAll() : undefined))
      .then((report) => {
        if (report && report.notUpdated.length > 0)
          this.logger.warn(`resync: ${report.notUpdated.join(', ')} still behind revision ${report.revision}`);
      })
      .catch((err: unknown) => this.logger.error(`resync failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => (this.running = null));
  }

  private async leading(): Promise<boolean> {
    return this.leadership ? this.leadership.confirmLeadership() : true;
  }
}
