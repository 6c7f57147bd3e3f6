import { ConflictException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { AgentDirectory } from '../agents/agent-directory.service';
import type { FlavorEntity } from '../inventory/flavors/flavor.entity';
import type { HostEntity } from '../inventory/hosts/host.entity';
import type { InstanceEntity } from '../inventory/instances/instance.entity';
import { FlavorsRepository } from '../inventory/repositories/flavors.repository';
import { HostsRepository } from '../inventory/repositories/hosts.repository';
import { InstancesRepository } from '../inventory/repositories/instances.repository';
import { scheduleInstance, summariseRejections } from './core';
import { HostCapacityService } from './host-capacity.service';

export interface MigrationTargets {
  flavor: FlavorEntity;
  source: HostEntity;
  destination: HostEntity;
}

/** What a migration request refers to: the instance, its flavor and hosts; the destination scheduled when none is given. */
@Injectable()
export class MigrationTargetsService {
  constructor(
    private readonly instances: InstancesRepository,
    private readonly flavors: FlavorsRepository,
    private readonly hosts: HostsRepository,
    private readonly capacity: HostCapacityService,
    private readonly agents: AgentDirectory,
  ) {}

  /** 422 when the id refers to no instance. */
  async instance(instanceId: string): Promise<InstanceEntity> {
    const instance = await this.instances.findById(instanceId);
    if (!instance)
      throw new UnprocessableEntityException({
        message: `instanceId ${instanceId} refers to no instance`,
        details: { field: 'instanceId' },
      });
    return instance;
  }

  /** 422 for a destination that is no host; 409 when the scheduler finds none. */
  async targets(instance: InstanceEntity, destinationHostId: string | undefined): Promise<MigrationTargets> {
    const flavor = await this.flavors.getById(instance.flavorId);
    const source = await this.hosts.getById(instance.hostId);
    const destination = destinationHostId ? await this.hosts.findById(destinationHostId) : await this.schedule(instance, flavor);
    if (!destination) {
      throw new UnprocessableEntityException({
        message: `destinationHostId ${destinationHostId} refers to no host`,
        details: { check: 'destination', field: 'destinationHostId' },
      });
    }
    return { flavor, source, destination };
  }

  /** Nova-style: filter enabled hosts with an answering agent and room, weigh by free RAM. */
  private async schedule(instance: InstanceEntity, flavor: FlavorEntity): Promise<HostEntity> {
    const hosts = await this.hosts.findAll();
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
