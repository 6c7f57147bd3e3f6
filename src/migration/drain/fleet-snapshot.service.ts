import { Injectable } from '@nestjs/common';
import { AgentDirectory } from '../../agents/agent-directory.service';
import type { HostEntity } from '../../inventory/hosts/host.entity';
import { FlavorsRepository } from '../../inventory/repositories/flavors.repository';
import { HostsRepository } from '../../inventory/repositories/hosts.repository';
import { InstancesRepository } from '../../inventory/repositories/instances.repository';
import type { HostCapacity, InstanceLoad } from '../core';
import { HostCapacityService } from '../host-capacity.service';
import { MigrationHistoryRepository } from './repositories/migration-history.repository';

/** The fleet as the planners see it right now: hosts (agents asked first) and instances with their flavors. */
export interface FleetSnapshot {
  hosts: HostCapacity[];
  hostEntities: HostEntity[];
  instances: InstanceLoad[];
  /** Why each host whose agent did not answer is down. */
  agentDown: Map<string, string>;
}

@Injectable()
export class FleetSnapshotService {
  constructor(
    private readonly hosts: HostsRepository,
    private readonly instances: InstancesRepository,
    private readonly flavors: FlavorsRepository,
    private readonly history: MigrationHistoryRepository,
    private readonly capacity: HostCapacityService,
    private readonly agents: AgentDirectory,
  ) {}

  async take(): Promise<FleetSnapshot> {
    const hostEntities = await this.hosts.findAll();
    const agentDown = new Map<string, string>();
    await Promise.all(
      hostEntities.map(async (h) => {
        const result = await this.agents.check(h.id);
        if (!result.up) agentDown.set(h.id, result.reason);
      }),
    );
    const [hosts, instances, flavors, lastMigrated] = await Promise.all([
      // The answer we just got decides, not a stale one from earlier.
      this.capacity.capacities((h) => !agentDown.has(h.id) && this.agents.recentlyUp(h.id)),
      this.instances.findAll(),
      this.flavors.findAll(),
      this.lastCompletedMigrations(),
    ]);
    const flavorById = new Map(flavors.map((f) => [f.id, f]));
    const loads: InstanceLoad[] = [];
    for (const i of instances) {
      const flavor = flavorById.get(i.flavorId);
      if (!flavor) continue;
      loads.push({
        id: i.id,
        name: i.name,
        hostId: i.hostId,
        vcpus: flavor.vcpus,
        memoryMiB: flavor.ramMiB,
        // libvirt's measurement before the instance's last migration; never migrated: planned as idle
        // (the engine's convergence policy handles a busy one).
        dirtyRateBytesPerSec: lastMigrated.get(i.id)?.dirtyRateBytesPerSec ?? 0,
        ...(lastMigrated.has(i.id) ? { lastMigratedAt: lastMigrated.get(i.id)!.at } : {}),
      });
    }
    return { hosts, hostEntities, instances: loads, agentDown };
  }

  /** Each instance's last completed migration: when (anti-flap cooldowns) and the dirty rate measured before it. */
  private async lastCompletedMigrations(): Promise<Map<string, { at: number; dirtyRateBytesPerSec?: number }>> {
    const rows = await this.history.findCompleted();
    const last = new Map<string, { at: number; dirtyRateBytesPerSec?: number }>();
    for (const r of rows) {
      if (!r.finishedAt) continue;
      const at = r.finishedAt.getTime();
      if (at <= (last.get(r.instanceId)?.at ?? -Infinity)) continue;
      const rate = r.dirtyRateBytesPerSec;
      last.set(r.instanceId, { at, ...(rate !== undefined ? { dirtyRateBytesPerSec: rate } : {}) });
    }
    return last;
  }
}
