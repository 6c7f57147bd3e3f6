import { Injectable } from '@nestjs/common';
import type { TerminalState } from '../migration-phase';
import { MigrationRecorder } from '../migration-recorder.service';
import { InstancesRepository } from '../../inventory/repositories/instances.repository';
import { ReservationsService } from '../reservations.service';
import { NetworkSteps } from './network-steps';
import type { RunContext } from './run-context';

/** Ends a run that did not complete: capacity released, network rolled back, the instance where the guest runs. */
@Injectable()
export class RollbackPhase {
  constructor(
    private readonly reservations: ReservationsService,
    private readonly network: NetworkSteps,
    private readonly instances: InstancesRepository,
    private readonly recorder: MigrationRecorder,
  ) {}

  /** `guestHostId`: where the guest was started when it ran nowhere (the instance moves there). */
  async end(ctx: RunContext, terminal: TerminalState, detail: string, guestHostId?: string): Promise<TerminalState> {
    await this.reservations.release(ctx.migration.id);
    await this.network.rollback(ctx);
    if (guestHostId) await this.instances.place(ctx.instance.id, guestHostId, 'active');
    else await this.instances.setState(ctx.instance.id, 'active');
    await this.recorder.enterPhase(ctx.migration, terminal, detail);
    return terminal;
  }

  /**
   * Post-copy failed after the switch and recovery did not bring it back: the guest's CPU state is on the
   * destination and some of its pages are still on the source. Nothing is rolled back or destroyed; the
   * instance is marked in error on the destination (as Nova does) for an operator to recover.
   */
  async splitByPostCopy(ctx: RunContext, detail: string): Promise<TerminalState> {
    ctx.networkPrePlugged = false;
    await this.reservations.release(ctx.migration.id);
    await this.instances.place(ctx.instance.id, ctx.destination.id, 'error');
    await this.recorder.enterPhase(ctx.migration, 'failed', detail);
    return 'failed';
  }

  /** The engine itself broke: release what it held and say so; the instance record is left as it was. */
  async broke(ctx: RunContext, detail: string): Promise<TerminalState> {
    await this.reservations.release(ctx.migration.id);
    await this.network.rollback(ctx).catch(() => undefined);
    await this.recorder.enterPhase(ctx.migration, 'failed', detail);
    return 'failed';
  }
}
