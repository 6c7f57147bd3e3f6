import { Inject, Injectable, Logger, NotFoundException, Optional, type OnModuleDestroy } from '@nestjs/common';
import type { ArmedSwitchoverReport, FiredSwitchoverReport, HostNetworkState } from '../../protocol';
import { PROCESS_RUNNER, type ProcessRunner } from '../../../common/process/process-runner';
import { AGENT_CONFIG, type AgentConfig } from '../agent.config';
import { runNetnsIdentity } from './netns-identity';
import { NetworkService } from './network.service';
import { PrimedSwitchover, type NetnsIdentity } from './primed-switchover';
import { switchoverDelta, type SwitchoverDelta } from './switchover-delta';

/** An armed delta not fired by then is dropped: the host it was planned against has moved on. */
export const ARMED_TTL_MS = 30 * 60_000;
/** After a fire, reconciliation waits this long at most for the controller's next apply. */
export const FIRED_HOLD_MS = 60_000;
const BATCH_TIMEOUT_MS = 10_000;

interface Armed {
  delta: SwitchoverDelta;
  primed: PrimedSwitchover;
  armedAt: number;
}

/** Overridable in tests: where a namespace's identity is read. */
export const NETNS_IDENTITY = Symbol('NetnsIdentity');

/**
 * Make before break: the controller arms each host with the state after a guest's switchover while the guest
 * still copies; the agent plans the delta then, and at the pause one short message fires it, with no
 * observation or full-state push on the critical path. The controller's next apply confirms it.
 */
@Injectable()
export class SwitchoverService implements OnModuleDestroy {
  private readonly logger = new Logger('Switchover');
  private readonly armed = new Map<string, Armed>();

  constructor(
    @Inject(AGENT_CONFIG) private readonly config: AgentConfig,
    @Inject(PROCESS_RUNNER) private readonly runner: ProcessRunner,
    private readonly network: NetworkService,
    @Optional() @Inject(NETNS_IDENTITY) private readonly netnsIdentity: NetnsIdentity = runNetnsIdentity,
  ) {}

  onModuleDestroy(): void {
    for (const id of [...this.armed.keys()]) this.disarm(id);
  }

  async arm(id: string, state: HostNetworkState): Promise<ArmedSwitchoverReport> {
    const started = Date.now();
    this.expire(started);
    const delta = switchoverDelta(await this.network.planTowards(state));
    this.disarm(id);
    const primed = PrimedSwitchover.prime(this.runner, delta.batches, delta.announcements, this.netnsIdentity);
    this.armed.set(id, { delta, primed, armedAt: Date.now() });
    return {
      id,
      host: this.config.host,
      armedAt: new Date().toISOString(),
      commands: delta.commands.map((c) => c.join(' ')),
      announcements: delta.announcements.map((c) => c.join(' ')),
      batches: delta.batches.length,
      primed: primed.primedCount,
      durationMs: Date.now() - started,
    };
  }

  disarm(id: string): void {
    this.armed.get(id)?.primed.cancel();
    this.armed.delete(id);
  }

  async fire(id: string): Promise<FiredSwitchoverReport> {
    const arrived = Date.now();
    const armed = this.armed.get(id);
    if (armed && arrived - armed.armedAt > ARMED_TTL_MS) this.disarm(id);
    if (!armed || arrived - armed.armedAt > ARMED_TTL_MS) throw new NotFoundException(`no armed switchover ${id} on ${this.config.host}`);
    this.armed.delete(id);
    this.network.holdReconcile(FIRED_HOLD_MS);
    const batches = await armed.primed.fire(arrived, BATCH_TIMEOUT_MS, this.netnsIdentity);
    const announcedAtMs = armed.delta.announcements.length > 0 ? Date.now() - arrived : null;
    armed.primed.announce();
    const report: FiredSwitchoverReport = {
      id,
      host: this.config.host,
      firedAt: new Date(arrived).toISOString(),
      durationMs: Date.now() - arrived,
      ok: batches.every((b) => b.ok),
      batches,
      announcements: armed.delta.announcements.map((c) => c.join(' ')),
      announcedAtMs,
    };
    if (!report.ok)
      this.logger.warn(
        `switchover ${id}: ${batches
          .filter((b) => !b.ok)
          .map((b) => b.error ?? '')
          .join('; ')}`,
      );
    return report;
  }

  private expire(now: number): void {
    for (const [id, a] of this.armed) if (now - a.armedAt > ARMED_TTL_MS) this.disarm(id);
  }
}
