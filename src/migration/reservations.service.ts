import { Injectable } from '@nestjs/common';
import { Mutex } from '../common/mutex';
import { newId } from '../common/ids';
import { freeMemoryMiB, freeVcpus } from './core';
import { HostCapacityService } from './host-capacity.service';
import { PrecheckRefusal } from './precheck-refusal';
import type { ReservationEntity } from './records/reservation.entity';
import { ReservationsRepository } from './repositories/reservations.repository';

/** Holds destination capacity for a migration until it ends; checks and inserts atomically. */
@Injectable()
export class ReservationsService {
  private readonly mutex = new Mutex();

  constructor(
    private readonly reservations: ReservationsRepository,
    private readonly capacity: HostCapacityService,
  ) {}

  reserve(migrationId: string, hostId: string, vcpus: number, memoryMiB: number): Promise<ReservationEntity> {
    return this.mutex.run(async () => {
      const [existing] = await this.reservations.findOpenOf(migrationId);
      if (existing) return existing;
      const host = (await this.capacity.capacities(() => true)).find((h) => h.id === hostId);
      if (!host) throw new PrecheckRefusal('destination', `host ${hostId} is not in the inventory`, 422);
      const free = { vcpus: freeVcpus(host), memoryMiB: freeMemoryMiB(host) };
      if (free.vcpus < vcpus || free.memoryMiB < memoryMiB) {
        throw new PrecheckRefusal(
          'capacity',
          `destination ${host.name} has ${free.vcpus} vCPU and ${free.memoryMiB} MiB free; needs ${vcpus} vCPU and ${memoryMiB} MiB`,
          409,
          { free, needed: { vcpus, memoryMiB } },
        );
      }
      return this.reservations.insert({ id: newId(), migrationId, hostId, vcpus, memoryMiB, releasedAt: null });
    });
  }

  release(migrationId: string): Promise<void> {
    return this.reservations.releaseOf(migrationId);
  }

  openFor(migrationId: string): Promise<ReservationEntity[]> {
    return this.reservations.findOpenOf(migrationId);
  }
}
