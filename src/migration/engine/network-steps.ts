import { Inject, Injectable, Optional } from '@nestjs/common';
import { errorMessage } from '../hypervisor';
import { MigrationRecorder } from '../migration-recorder.service';
import { NETWORK_FOLLOWER, type NetworkFollower } from '../../network/follow/network-follower';
import type { NetworkStepRecord } from '../../network/follow/network-step-record';
import type { RunContext } from './run-context';

type StepPhase = NonNullable<NetworkStepRecord['phase']>;

/** The network following the guest: each step group timed and kept on the record. */
@Injectable()
export class NetworkSteps {
  constructor(
    private readonly recorder: MigrationRecorder,
    @Optional() @Inject(NETWORK_FOLLOWER) private readonly network: NetworkFollower | null = null,
  ) {}

  /** The instance's floating IP, for the north-south probe; null without a network or a FIP. */
  floatingIpOf(instanceId: string): Promise<string | null> {
    return this.network ? this.network.floatingIpOf(instanceId).catch(() => null) : Promise.resolve(null);
  }

  /** Pre-plugs the destination, then arms the switchover in the background (the copy does not wait for it). */
  async prePlug(ctx: RunContext): Promise<boolean> {
    ctx.networkPrePlugged = true;
    const ok = await this.follow(ctx, 'reservation', (n) => n.prePlug(ctx.instance.id, ctx.destination.id));
    if (ok) ctx.networkArming = handled(this.follow(ctx, 'reservation', (n) => n.arm(ctx.instance.id, ctx.destination.id)));
    return ok;
  }

  /** Once per migration, at the source's pause: fires the armed deltas, then activates the destination bindings. */
  startSwitchover(ctx: RunContext): void {
    if (ctx.networkSwitchover) return;
    ctx.switchoverAt = new Date();
    const arming = ctx.networkArming ?? Promise.resolve(true);
    ctx.networkSwitchover = handled(
      arming.then(() => this.follow(ctx, 'switchover', (n) => n.switchover(ctx.instance.id, ctx.destination.id))),
    );
  }

  /** Waits for the switchover steps started earlier; true when none was needed. */
  switchoverDone(ctx: RunContext): Promise<boolean> {
    return ctx.networkSwitchover ?? Promise.resolve(true);
  }

  commit(ctx: RunContext): Promise<boolean> {
    ctx.networkPrePlugged = false;
    return this.follow(ctx, 'commitment', (n) => n.commit(ctx.instance.id, ctx.source.id));
  }

  /** The guest stays on the source: bindings, FDB and FIP back to how they were before pre-plug. */
  async rollback(ctx: RunContext): Promise<void> {
    if (!ctx.networkPrePlugged) return;
    ctx.networkPrePlugged = false;
    if (ctx.networkArming) await ctx.networkArming;
    if (ctx.networkSwitchover) await ctx.networkSwitchover;
    await this.follow(ctx, 'rollback', (n) => n.rollback(ctx.instance.id, ctx.source.id, ctx.destination.id));
  }

  /** Runs one network step group, keeps its timed steps on the record; false when a step failed. */
  private async follow(ctx: RunContext, phase: StepPhase, call: (n: NetworkFollower) => Promise<NetworkStepRecord[]>): Promise<boolean> {
    if (!this.network) return true;
    const startedAt = new Date();
    let steps: NetworkStepRecord[];
    try {
      steps = await call(this.network);
    } catch (err) {
      steps = [
        {
          step: phase,
          startedAt: startedAt.toISOString(),
          durationMs: Date.now() - startedAt.getTime(),
          ok: false,
          error: errorMessage(err),
        },
      ];
    }
    ctx.networkSteps.push(...steps.map((s) => ({ ...s, phase })));
    await this.recorder.save(ctx.migration, { networkSteps: [...ctx.networkSteps] });
    return steps.every((s) => s.ok || s.fallback !== undefined);
  }
}

/**
 * A step group run in the background: a run that ends before awaiting it (a controller stopping mid-copy, the
 * record store gone) must not leave an unhandled rejection; whoever awaits it still sees the error.
 */
function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** The failed steps, said in one line for a phase detail. */
export function failedSteps(steps: readonly NetworkStepRecord[]): string {
  const failed = steps.filter((s) => !s.ok && s.fallback === undefined);
  return failed.length === 0 ? 'none' : failed.map((s) => `${s.step}${s.host ? ` on ${s.host}` : ''}: ${s.error ?? 'failed'}`).join('; ');
}
