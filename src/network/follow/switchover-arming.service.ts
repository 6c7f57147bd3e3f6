import { Injectable } from '@nestjs/common';
import { AgentDirectory } from '../../agents/agent-directory.service';
import type { HostNetworkState } from '../../agents/protocol';
import type { HostEntity } from '../../inventory/hosts/host.entity';
import { HostsRepository } from '../../inventory/repositories/hosts.repository';
import { withBindingsActive } from '../core/activate-binding';
import { compileHostState } from '../core/compile-host-state';
import { NetworkModelLoader } from '../sync/network-model.loader';
import type { NetworkStep } from './network-step';

/**
 * Make before break, controller side: while the guest copies, every host whose state changes at the
 * switchover (the destination's FIP, each peer's FDB entry, the source's FIP removal) gets that state armed;
 * at the pause one short fire per host runs it. The database change and the full push follow as confirmation.
 * What is armed lives in this process: a replica that adopts a migration falls back to the full push.
 */
@Injectable()
export class SwitchoverArming {
  private readonly armed = new Map<string, HostEntity[]>();

  constructor(
    private readonly loader: NetworkModelLoader,
    private readonly agents: AgentDirectory,
    private readonly hosts: HostsRepository,
  ) {}

  /** Arms each host whose compiled state differs once `portIds` are ACTIVE on the destination; one step per host. */
  async arm(armId: string, portIds: readonly string[], destinationHostId: string): Promise<NetworkStep[]> {
    const model = await this.loader.load();
    const after = withBindingsActive(model, portIds, destinationHostId);
    const targets = (await this.hosts.findAll()).filter((h) => h.agentEndpoint && h.vtepIp && h.agentState !== 'down');
    const armed: HostEntity[] = [];
    const steps = await Promise.all(
      targets.map(async (host): Promise<NetworkStep | null> => {
        let next: HostNetworkState;
        try {
          if (sameState(compileHostState(model, host.id), (next = compileHostState(after, host.id)))) return null;
        } catch (err) {
          return { ...failed('arm', host, new Date(), err), fallback: FALLBACK };
        }
        const step = await timed('arm', host, async () => {
          await (await this.agents.clientFor(host.id)).armSwitchover(armId, next);
          armed.push(host);
        });
        return step.ok ? step : { ...step, fallback: FALLBACK };
      }),
    );
    this.armed.set(armId, armed);
    return steps.filter((s): s is NetworkStep => s !== null);
  }

  isArmed(armId: string): boolean {
    return (this.armed.get(armId)?.length ?? 0) > 0;
  }

  /** Fires every armed host at once; a host whose fire fails is left to the full push that follows. */
  async fire(armId: string): Promise<NetworkStep[]> {
    const hosts = this.armed.get(armId) ?? [];
    this.armed.delete(armId);
    return Promise.all(
      hosts.map((host) =>
        timed('fire', host, async () => {
          const report = await (await this.agents.clientFor(host.id)).fireSwitchover(armId);
          if (!report.ok) throw new Error(report.batches.flatMap((b) => (b.error ? [b.error] : [])).join('; ') || 'a batch failed');
        }).then((step) => (step.ok ? step : { ...step, fallback: FALLBACK })),
      ),
    );
  }

  /** Drops what is armed (rollback before the switchover); the agents forget it, or expire it. */
  async disarm(armId: string): Promise<void> {
    const hosts = this.armed.get(armId) ?? [];
    this.armed.delete(armId);
    await Promise.all(hosts.map(async (h) => (await this.agents.clientFor(h.id)).disarmSwitchover(armId).catch(() => undefined)));
  }
}

const FALLBACK = 'the full push at switchover';

/** Equal but for the revision. */
function sameState(a: HostNetworkState, b: HostNetworkState): boolean {
  return JSON.stringify({ ...a, revision: 0 }) === JSON.stringify({ ...b, revision: 0 });
}

async function timed(step: string, host: HostEntity, action: () => Promise<void>): Promise<NetworkStep> {
  const startedAt = new Date();
  try {
    await action();
    return { step, host: host.name, startedAt: startedAt.toISOString(), durationMs: Date.now() - startedAt.getTime(), ok: true };
  } catch (err) {
    return failed(step, host, startedAt, err);
  }
}

function failed(step: string, host: HostEntity, startedAt: Date, err: unknown): NetworkStep {
  return {
    step,
    host: host.name,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    ok: false,
    error: err instanceof Error ? err.message : String(err),
  };
}
