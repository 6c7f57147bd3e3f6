import { Injectable, Logger } from '@nestjs/common';
import type { DomainEvent } from '../libvirt';
import { MigrationRecorder } from '../migration-recorder.service';
import { NetworkSteps } from './network-steps';
import type { RunContext } from './run-context';

/** Phase 4: the source pauses for stop-and-copy; the network starts following the guest. */
@Injectable()
export class SwitchoverPhase {
  private readonly logger = new Logger(SwitchoverPhase.name);

  constructor(
    private readonly recorder: MigrationRecorder,
    private readonly network: NetworkSteps,
  ) {}

  /** The detail of the source's suspended/migrated (or post-copy) lifecycle event of this guest; null for any other event. */
  pauseDetail(ctx: RunContext, event: DomainEvent): string | null {
    if (event.domain.name !== ctx.instance.domainName) return null;
    if (event.kind === 'lifecycle' && event.event === 'suspended' && (event.detail === 'migrated' || event.detail === 'postcopy')) {
      return event.detail;
    }
    return null;
  }

  /** From the event handler: not awaited, so the monitor loop goes on polling. */
  onPaused(ctx: RunContext, detail: string): void {
    this.network.startSwitchover(ctx);
    this.recorder
      .enterPhase(ctx.migration, 'switchover', `source paused (${detail}) for stop-and-copy`, ctx.switchoverAt)
      .catch((err: unknown) => this.logger.warn(`recording the switchover of ${ctx.migration.id}: ${String(err)}`));
  }

  /** The job completed and no pause event came: the switchover is recorded now. */
  async unseen(ctx: RunContext): Promise<void> {
    this.network.startSwitchover(ctx);
    await this.recorder.enterPhase(ctx.migration, 'switchover', 'job completed without a pause event', ctx.switchoverAt);
  }
}
