import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { ArmedSwitchoverReport, FiredBatch, FiredSwitchoverReport, HostNetworkState } from '../../protocol';
import { PROCESS_RUNNER, type ProcessRunner } from '../../../common/process/process-runner';
import { AGENT_CONFIG, type AgentConfig } from '../agent.config';
import { failedLines } from './command-batches';
import { startDetached } from './network-executor';
import { NetworkService } from './network.service';
import { switchoverDelta, type SwitchoverDelta } from './switchover-delta';

/** An armed delta not fired by then is dropped: the host it was planned against has moved on. */
export const ARMED_TTL_MS = 30 * 60_000;
/** After a fire, reconciliation waits this long at most for the controller's next apply. */
export const FIRED_HOLD_MS = 60_000;
const BATCH_TIMEOUT_MS = 10_000;

interface Armed {
  delta: SwitchoverDelta;
  armedAt: number;
}

/**
 * Make before break: the controller arms each host with the state after a guest's switchover while the guest
 * still copies; the agent plans the delta then, and at the pause one short message fires it, with no
 * observation or full-state push on the critical path. The controller's next apply confirms it.
 */
@Injectable()
export class SwitchoverService {
  private readonly logger = new Logger('Switchover');
  private readonly armed = new Map<string, Armed>();

  constructor(
    @Inject(AGENT_CONFIG) private readonly config: AgentConfig,
    @Inject(PROCESS_RUNNER) private readonly runner: ProcessRunner,
    private readonly network: NetworkService,
  ) {}

  async arm(id: string, state: HostNetworkState): Promise<ArmedSwitchoverReport> {
    const started = Date.now();
    this.expire(started);
    const delta = switchoverDelta(await this.network.planTowards(state));
    this.armed.set(id, { delta, armedAt: Date.now() });
    return {
      id,
      host: this.config.host,
      armedAt: new Date().toISOString(),
      commands: delta.commands.map((c) => c.join(' ')),
      announcements: delta.announcements.map((c) => c.join(' ')),
      batches: delta.batches.length,
      durationMs: Date.now() - started,
    };
  }

  disarm(id: string): void {
    this.armed.delete(id);
  }

  async fire(id: string): Promise<FiredSwitchoverReport> {
    const arrived = Date.now();
    const armed = this.armed.get(id);
    if (!armed || arrived - armed.armedAt > ARMED_TTL_MS) throw new NotFoundException(`no armed switchover ${id} on ${this.config.host}`);
    this.armed.delete(id);
    this.network.holdReconcile(FIRED_HOLD_MS);
    const batches: FiredBatch[] = [];
    for (const batch of armed.delta.batches) {
      const [command, ...args] = batch.argv;
      const startedAtMs = Date.now() - arrived;
      const result = await this.runner.run(command ?? '', args, {
        timeoutMs: BATCH_TIMEOUT_MS,
        ...(batch.input === undefined ? {} : { input: batch.input }),
      });
      const ok = result.exitCode === 0;
      const failed = ok ? [] : failedLines(batch, result.stderr);
      batches.push({
        command: batch.argv.join(' '),
        lines: batch.commands.length,
        ok,
        startedAtMs,
        durationMs: Date.now() - arrived - startedAtMs,
        ...(ok
          ? {}
          : {
              error: `${failed.map((c) => c.join(' ')).join('; ')}: ${(result.stderr || result.stdout).trim().slice(0, 300) || `exit ${result.exitCode ?? result.signal ?? '?'}`}`,
            }),
      });
    }
    const announcedAtMs = armed.delta.announcements.length > 0 ? Date.now() - arrived : null;
    for (const argv of armed.delta.announcements) startDetached(this.runner, argv);
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
    for (const [id, a] of this.armed) if (now - a.armedAt > ARMED_TTL_MS) this.armed.delete(id);
  }
}
