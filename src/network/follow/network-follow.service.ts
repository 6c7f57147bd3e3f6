import { Injectable } from '@nestjs/common';
import { HostsRepository } from '../../inventory/repositories/hosts.repository';
import type { NetworkFollower } from './network-follower';
import { PortBindingService } from '../ports/port-binding.service';
import type { PortEntity } from '../ports/port.entity';
import { FloatingIpsRepository } from '../repositories/floating-ips.repository';
import { PortsRepository } from '../repositories/ports.repository';
import { NetworkSyncService } from '../sync/network-sync.service';
import type { NetworkStep } from './network-step';
import { SwitchoverArming } from './switchover-arming.service';

/** A push that did not reach a host at switchover is tried again this many times, this far apart. */
const SYNC_RETRIES = 2;
const SYNC_RETRY_DELAY_MS = 500;

/**
 * The network side of a live migration, Neutron style: pre-plug the destination with INACTIVE bindings,
 * activate them at switchover (FDB and floating IPs follow the guest), delete the source's at commit,
 * or undo it all on rollback. Never throws: failures are steps with ok=false, for the runner to record.
 */
@Injectable()
export class NetworkFollowService implements NetworkFollower {
  constructor(
    private readonly ports: PortsRepository,
    private readonly floatingIps: FloatingIpsRepository,
    private readonly hosts: HostsRepository,
    private readonly bindings: PortBindingService,
    private readonly sync: NetworkSyncService,
    private readonly arming: SwitchoverArming,
  ) {}

  /** INACTIVE bindings on the destination: it gets the bridge, the qrouter and the fip namespace ready. */
  prePlug(instanceId: string, destinationHostId: string): Promise<NetworkStep[]> {
    return this.follow(instanceId, async (port, steps) => {
      if (await this.bindings.find(port.id, destinationHostId)) return;
      await this.step(steps, 'bind-inactive', destinationHostId, port.id, () => this.bindings.create(port.id, destinationHostId));
    });
  }

  /** Each host that changes at switchover plans its delta now; nothing changes on the hosts yet. */
  async arm(instanceId: string, destinationHostId: string): Promise<NetworkStep[]> {
    const ports = await this.ports.findByDevice('compute', instanceId);
    if (ports.length === 0) return [];
    return this.arming.arm(
      instanceId,
      ports.map((p) => p.id),
      destinationHostId,
    );
  }

  /**
   * The armed deltas fire first (FDB flips, the FIP on the destination and its gratuitous ARP, the source's FIP
   * removal), then the destination bindings become ACTIVE in the model and the full push confirms every host.
   */
  async switchover(instanceId: string, destinationHostId: string): Promise<NetworkStep[]> {
    const fired = this.arming.isArmed(instanceId) ? await this.arming.fire(instanceId) : [];
    const confirmed = await this.follow(
      instanceId,
      async (port, steps) => {
        const binding = await this.bindings.find(port.id, destinationHostId);
        if (binding?.status === 'ACTIVE') return;
        if (!binding)
          await this.step(steps, 'bind-inactive', destinationHostId, port.id, () => this.bindings.create(port.id, destinationHostId));
        await this.step(steps, 'activate', destinationHostId, port.id, () => this.bindings.activate(port.id, destinationHostId));
      },
      SYNC_RETRIES,
    );
    return [...fired, ...confirmed];
  }

  /** The source bindings go: the source drops what nothing else needs there. */
  commit(instanceId: string, sourceHostId: string): Promise<NetworkStep[]> {
    return this.follow(instanceId, async (port, steps) => {
      if (!(await this.bindings.find(port.id, sourceHostId))) return;
      await this.step(steps, 'unbind', sourceHostId, port.id, () => this.bindings.remove(port.id, sourceHostId));
    });
  }

  /** Back to the state before prePlug: the source ACTIVE again, no binding on the destination. */
  async rollback(instanceId: string, sourceHostId: string, destinationHostId: string): Promise<NetworkStep[]> {
    await this.arming.disarm(instanceId);
    return this.follow(instanceId, async (port, steps) => {
      const source = await this.bindings.find(port.id, sourceHostId);
      if (!source) await this.step(steps, 'bind-inactive', sourceHostId, port.id, () => this.bindings.create(port.id, sourceHostId));
      if (source?.status !== 'ACTIVE')
        await this.step(steps, 'activate', sourceHostId, port.id, () => this.bindings.activate(port.id, sourceHostId));
      if (await this.bindings.find(port.id, destinationHostId)) {
        await this.step(steps, 'unbind', destinationHostId, port.id, () => this.bindings.remove(port.id, destinationHostId));
      }
    });
  }

  /** The first floating IP mapped to one of the instance's ports: the north-south probe's target. */
  async floatingIpOf(instanceId: string): Promise<string | null> {
    for (const port of await this.ports.findByDevice('compute', instanceId)) {
      const fip = await this.floatingIps.findByPort(port.id);
      if (fip) return fip.address;
    }
    return null;
  }

  /** Runs the per-port binding work, then one sync for all of it, pushed again while a host missed it (`retries`). */
  private async follow(
    instanceId: string,
    perPort: (port: PortEntity, steps: NetworkStep[]) => Promise<void>,
    retries = 0,
  ): Promise<NetworkStep[]> {
    const steps: NetworkStep[] = [];
    let ports: PortEntity[];
    try {
      ports = await this.ports.findByDevice('compute', instanceId);
    } catch (err) {
      return [failed('load-ports', new Date(), err)];
    }
    if (ports.length === 0) return [];
    for (const port of ports) {
      try {
        await perPort(port, steps);
      } catch (err) {
        steps.push(failed('binding', new Date(), err, undefined, port.id));
      }
    }
    for (let attempt = 0; ; attempt++) {
      const sync = await this.syncOnce();
      const last = attempt >= retries || sync.every((st) => st.ok);
      // A push that a retry repaired stays on the record, marked as repaired by the retry.
      steps.push(...sync.map((st) => (st.ok || last ? st : { ...st, fallback: 'pushed again' })));
      if (last) return steps;
      await new Promise((resolve) => setTimeout(resolve, SYNC_RETRY_DELAY_MS));
    }
  }

  private async syncOnce(): Promise<NetworkStep[]> {
    const startedAt = new Date();
    try {
      const report = await this.sync.afterChange();
      return report.hosts.map((r) => ({
        step: 'sync',
        host: r.host,
        startedAt: startedAt.toISOString(),
        durationMs: r.durationMs,
        ok: r.ok,
        ...(r.error ? { error: r.error } : {}),
      }));
    } catch (err) {
      return [failed('sync', startedAt, err)];
    }
  }

  private async step(steps: NetworkStep[], name: string, hostId: string, portId: string, action: () => Promise<unknown>): Promise<void> {
    const startedAt = new Date();
    const host = (await this.hosts.findById(hostId))?.name ?? hostId;
    try {
      await action();
      steps.push({ step: name, host, portId, startedAt: startedAt.toISOString(), durationMs: Date.now() - startedAt.getTime(), ok: true });
    } catch (err) {
      steps.push(failed(name, startedAt, err, host, portId));
    }
  }
}

function failed(step: string, startedAt: Date, err: unknown, host?: string, portId?: string): NetworkStep {
  return {
    step,
    ...(host ? { host } : {}),
    ...(portId ? { portId } : {}),
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    ok: false,
    error: err instanceof Error ? err.message : String(err),
  };
}
