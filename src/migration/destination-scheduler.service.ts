import { ConflictException, Injectable } from '@nestjs/common';
import { AgentDirectory } from '../agents/agent-directory.service';
import type { FlavorEntity } from '../inventory/flavors/flavor.entity';
import type { HostEntity } from '../inventory/hosts/host.entity';
import type { InstanceEntity } from '../inventory/instances/instance.entity';
import { scheduleInstance, summariseRejections } from './core';
import { HostCapacityService } from './host-capacity.service';
import { MigrationInventoryRepository } from './repositories/migration-inventory.repository';

/** Nova-style: filter enabled hosts with an answering agent and room, weigh by free RAM. */
@Injectable()
export class DestinationScheduler {
  constructor(
    private readonly inventory: MigrationInventoryRepository,
    private readonly capacity: HostCapacityService,
    private readonly agents: AgentDirectory,
  ) {}

  async pick(instance: InstanceEntity, flavor: FlavorEntity): Promise<HostEntity> {
    const hosts = await this.inventory.allHosts();
    const candidates = hosts.filter((h) => h.state === 'enabled' && h.id !== instance.hostId);
    await Promise.all(candidates.map((h) => this.agents.check(h.id)));
    const capacities = await this.capacity.capacities((h) => this.agents.recentlyUp(h.id));
    const result = scheduleInstance({ instance: { hostId: instance.hostId, vcpus: flavor.vcpus, memoryMiB: flavor.ramMiB } }, capacities);
    const best = result.ranked[0];
    if (!best) {
      const why = summariseRejections(result.rejected)
        .map((r) => `${r.reason} (${r.hostCount})`)
        .join(', ');
      throw new ConflictException({
        message: `no valid host for ${instance.name}: ${why || 'no other hosts'}`,
        details: { check: 'capacity', rejected: result.rejected },
      });
    }
    return hosts.find((h) => h.id === best.host.id)!;
  }
}
