import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { FlavorEntity } from '../inventory/flavors/flavor.entity';
import { HostEntity } from '../inventory/hosts/host.entity';
import { InstanceEntity } from '../inventory/instances/instance.entity';
import type { HostCapacity } from './core';
import { ReservationEntity } from './records/reservation.entity';

// Used for planning only; the engine measures the real link during a migration.
const DEFAULT_MIGRATION_BANDWIDTH_BYTES_PER_SEC = 1.25e9;

/** Builds the pure core's view of hosts: usage from instances plus open reservations. */
@Injectable()
export class HostCapacityService {
  constructor(
    @InjectRepository(HostEntity) private readonly hosts: Repository<HostEntity>,
    @InjectRepository(InstanceEntity) private readonly instances: Repository<InstanceEntity>,
    @InjectRepository(FlavorEntity) private readonly flavors: Repository<FlavorEntity>,
    @InjectRepository(ReservationEntity) private readonly reservations: Repository<ReservationEntity>,
  ) {}

  async capacities(agentUp: (host: HostEntity) => boolean): Promise<HostCapacity[]> {
    const [hosts, instances, flavors, reservations] = await Promise.all([
      this.hosts.find(),
      this.instances.find(),
      this.flavors.find(),
      this.reservations.findBy({ releasedAt: IsNull() }),
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
