import { Injectable } from '@nestjs/common';
import type { HostEntity } from '../inventory/hosts/host.entity';
import type { HostCapacity } from './core';
import { FlavorsRepository } from '../inventory/repositories/flavors.repository';
import { HostsRepository } from '../inventory/repositories/hosts.repository';
import { InstancesRepository } from '../inventory/repositories/instances.repository';
import { ReservationsRepository } from './repositories/reservations.repository';

// Used for planning only; the engine measures the real link during a migration.
const DEFAULT_MIGRATION_BANDWIDTH_BYTES_PER_SEC = 1.25e9;

/** Builds the pure core's view of hosts: usage from instances plus open reservations. */
@Injectable()
export class HostCapacityService {
  constructor(
    private readonly hosts: HostsRepository,
    private readonly instances: InstancesRepository,
    private readonly flavors: FlavorsRepository,
    private readonly reservations: ReservationsRepository,
  ) {}

  async capacities(agentUp: (host: HostEntity) => boolean): Promise<HostCapacity[]> {
    const [hosts, instances, flavors, reservations] = await Promise.all([
      this.hosts.findAll(),
      this.instances.findAll(),
      this.flavors.findAll(),
      this.reservations.findOpen(),
    ]);
    const flavorById = new Map(flavors.map((f) => [f.id, f]));
    const used = new Map<string, { vcpus: number; memoryMiB: number }>();
    const add = (hostId: string, vcpus: number, memoryMiB: number) => {
      const u = used.get(hostId) ?? { vcpus: 0, memoryMiB: 0 };
      used.set(hostId, { vcpus: u.vcpus + vcpus, memoryMiB: u.memoryMiB + memoryMiB });
    };
    for (const instance of instances) {
      const flavor = flavorById.get(instance.flavorId);
      if (flavor) add(instance.hostId, flavor.vcpus, flavor.ramMiB);
    }
    for (const r of reservations) add(r.hostId, r.vcpus, r.memoryMiB);
    return hosts.map((host) => ({
      id: host.id,
      name: host.name,
      vcpus: host.vcpus,
      memoryMiB: host.memoryMiB,
      state: host.state,
      agentUp: agentUp(host),
      migrationBandwidthBytesPerSec: DEFAULT_MIGRATION_BANDWIDTH_BYTES_PER_SEC,
      usedVcpus: used.get(host.id)?.vcpus ?? 0,
      usedMemoryMiB: used.get(host.id)?.memoryMiB ?? 0,
      reservedVcpus: 0,
      reservedMemoryMiB: 0,
    }));
  }
}
