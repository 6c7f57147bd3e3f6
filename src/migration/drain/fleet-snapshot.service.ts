import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AgentDirectory } from '../../agents/agent-directory.service';
import { FlavorEntity } from '../../inventory/flavors/flavor.entity';
import { HostEntity } from '../../inventory/hosts/host.entity';
import { InstanceEntity } from '../../inventory/instances/instance.entity';
import type { HostCapacity, InstanceLoad } from '../core';
import { HostCapacityService } from '../host-capacity.service';
import { LiveMigrationEntity } from '../records/live-migration.entity';

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
    @InjectRepository(HostEntity) private readonly hosts: Repository<HostEntity>,
    @InjectRepository(InstanceEntity) private readonly instances: Repository<InstanceEntity>,
    @InjectRepository(FlavorEntity) private readonly flavors: Repository<FlavorEntity>,
    @InjectRepository(LiveMigrationEntity) private readonly migrations: Repository<LiveMigrationEntity>,
    private readonly capacity: HostCapacityService,
    private readonly agents: AgentDirectory,
  ) {}

  async take(): Promise<FleetSnapshot> {
    const hostEntities = await this.hosts.find({ order: { name: 'ASC' } });
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
      this.instances.find({ order: { name: 'ASC' } }),
      this.flavors.find(),
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
    const rows = await this.migrations.find({
      where: { state: 'completed' },
      select: { instanceId: true, finishedAt: true, precopyPrediction: true },
    });
    const last = new Map<string, { at: number; dirtyRateBytesPerSec?: number }>();
    for (const r of rows) {
      if (!r.finishedAt) continue;
      const at = r.finishedAt.getTime();
      if (at <= (last.get(r.instanceId)?.at ?? -Infinity)) continue;
      const rate = r.precopyPrediction?.inputs?.dirtyRateBytesPerSec;
      last.set(r.instanceId, { at, ...(rate !== undefined ? { dirtyRateBytesPerSec: rate } : {}) });
    }
    return last;
  }
}
