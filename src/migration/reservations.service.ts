import { Injectable } from '@nestjs/common';
import { advisoryXactLock, XACT_LOCK } from '../common/repositories/advisory-xact-lock';
import { Transactions } from '../common/repositories/transactions';
import { newId } from '../common/ids';
import { freeMemoryMiB, freeVcpus } from './core';
import { HostCapacityService } from './host-capacity.service';
import { PrecheckRefusal } from './precheck-refusal';
import type { ReservationEntity } from './records/reservation.entity';
import { ReservationsRepository } from './repositories/reservations.repository';

/**
 * Holds destination capacity for a migration until it ends. The check and the insert run in one
 * transaction under the destination's advisory lock, so replicas reserving on one host take turns and
 * each sees the others' committed reservations.
 */
@Injectable()
export class ReservationsService {
  constructor(
    private readonly reservations: ReservationsRepository,
    private readonly capacity: HostCapacityService,
    private readonly transactions: Transactions,
  ) {}

  async reserve(migrationId: string, hostId: string, vcpus: number, memoryMiB: number): Promise<ReservationEntity> {
    // A refusal commits nothing rather than rolling back: on SQLite a rollback would take concurrent writes with it.
    const result = await this.transactions.run(async (tx): Promise<ReservationEntity | PrecheckRefusal> => {
      await advisoryXactLock(tx, XACT_LOCK.hostCapacity, hostId);
      const reservations = this.reservations.inTransaction(tx);
      const [existing] = await reservations.findOpenOf(migrationId);
      if (existing) return existing;
      // Read after the lock: every reservation made before it was granted has committed.
      const host = (await this.capacity.capacities(() => true)).find((h) => h.id === hostId);
      if (!host) return new PrecheckRefusal('destination', `host ${hostId} is not in the inventory`, 422);
      const free = { vcpus: freeVcpus(host), memoryMiB: freeMemoryMiB(host) };
      if (free.vcpus < vcpus || free.memoryMiB < memoryMiB) {
        return new PrecheckRefusal(
          'capacity',
          `destination ${host.name} has ${free.vcpus} vCPU and ${free.memoryMiB} MiB free; needs ${vcpus} vCPU and ${memoryMiB} MiB`,
          409,
          { free, needed: { vcpus, memoryMiB } },
        );
      }
      return reservations.insert({ id: newId(), migrationId, hostId, vcpus, memoryMiB, releasedAt: null });
    });
    if (result instanceof PrecheckRefusal) throw result;
    return result;
  }

  release(migrationId: string): Promise<void> {
    return this.reservations.releaseOf(migrationId);
  }

  openFor(migrationId: string): Promise<ReservationEntity[]> {
    return this.reservations.findOpenOf(migrationId);
  }
}
