import { Injectable } from '@nestjs/common';
import { HostsRepository } from '../../inventory/repositories/hosts.repository';
import type { NetworkFollower } from '../../migration/network-follower';
import { PortBindingService } from '../ports/port-binding.service';
import type { PortEntity } from '../ports/port.entity';
import { FloatingIpsRepository } from '../repositories/floating-ips.repository';
import { PortsRepository } from '../repositories/ports.repository';
import { NetworkSyncService } from '../sync/network-sync.service';
import type { NetworkStep } from './network-step';

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
  ) {}

  /** INACTIVE bindings on the destination: it gets the bridge, the qrouter and the fip namespace ready. */
  prePlug(instanceId: string, destinationHostId: string): Promise<NetworkStep[]> {
    return this.follow(instanceId, async (port, steps) => {
      if (await this.bindings.find(port.id, destinationHostId)) return;
      await this.step(steps, 'bind-inactive', destinationHostId, port.id, () => this.bindings.create(port.id, destinationHostId));
    });
  }

  /** The destination bindings become ACTIVE: every host's FDB points at the destination, floating IPs move. */
  switchover(instanceId: string, destinationHostId: string): Promise<NetworkStep[]> {
    return this.follow(instanceId, async (port, steps) => {
      const binding = await this.bindings.find(port.id, destinationHostId);
      if (binding?.status === 'ACTIVE') return;
      if (!binding)
        await this.step(steps, 'bind-inactive', destinationHostId, port.id, () => this.bindings.create(port.id, destinationHostId));
      await this.step(steps, 'activate', destinationHostId, port.id, () => this.bindings.activate(port.id, destinationHostId));
    });
  }

  /** The source bindings go: the source drops what nothing else needs there. */
  commit(instanceId: string, sourceHostId: string): Promise<NetworkStep[]> {
    return this.follow(instanceId, async (port, steps) => {
      if (!(await this.bindings.find(port.id, sourceHostId))) return;
      await this.step(steps, 'unbind', sourceHostId, port.id, () => this.bindings.remove(port.id, sourceHostId));
    });
  }

  /** Back to the state before prePlug: the source ACTIVE again, no binding on the destination. */
  rollback(instanceId: string, sourceHostId: string, destinationHostId: string): Promise<NetworkStep[]> {
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

  /** Runs the per-port binding work, then one sync for all of it. */
  private async follow(instanceId: string, perPort: (port: PortEntity, steps: NetworkStep[]) => Promise<void>): Promise<NetworkStep[]> {
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
    const startedAt = new Date();
    try {
      const report = await this.sync.afterChange();
      for (const r of report.hosts) {
        steps.push({
          step: 'sync',
          host: r.host,
          startedAt: startedAt.toISOString(),
          durationMs: r.durationMs,
          ok: r.ok,
          ...(r.error ? { error: r.error } : {}),
        });
      }
    } catch (err) {
      steps.push(failed('sync', startedAt, err));
    }
    return steps;
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
