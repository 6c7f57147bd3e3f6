import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { Mutex } from '../common/mutex';
import { newId } from '../common/ids';
import { freeMemoryMiB, freeVcpus } from './core';
import { HostCapacityService } from './host-capacity.service';
import { PrecheckRefusal } from './precheck-refusal';
import { ReservationEntity } from './records/reservation.entity';

/** Holds destination capacity for a migration until it ends; checks and inserts atomically. */
@Injectable()
export class ReservationsService {
  private readonly mutex = new Mutex();

  constructor(
    @InjectRepository(ReservationEntity) private readonly reservations: Repository<ReservationEntity>,
    private readonly capacity: HostCapacityService,
  ) {}

  reserve(migrationId: string, hostId: string, vcpus: number, memoryMiB: number): Promise<ReservationEntity> {
    return this.mutex.run(async () => {
      const existing = await this.reservations.findOneBy({ migrationId, releasedAt: IsNull() });
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
      return this.reservations.save(this.reservations.create({ id: newId(), migrationId, hostId, vcpus, memoryMiB, releasedAt: null }));
    });
  }

  async release(migrationId: string): Promise<void> {
    await this.reservations.update({ migrationId, releasedAt: IsNull() }, { releasedAt: new Date() });
  }

  openFor(migrationId: string): Promise<ReservationEntity[]> {
    return this.reservations.findBy({ migrationId, releasedAt: IsNull() });
  }
}
