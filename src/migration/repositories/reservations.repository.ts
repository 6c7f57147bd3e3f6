import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import type { Transaction } from '../../common/repositories/transactions';
import { ReservationEntity } from '../records/reservation.entity';

export type NewReservation = Omit<ReservationEntity, 'createdAt'>;

/** Destination capacity held for migrations; open while `releasedAt` is null. */
@Injectable()
export class ReservationsRepository {
  constructor(@InjectRepository(ReservationEntity) private readonly reservations: Repository<ReservationEntity>) {}

  /** The same API inside a transaction opened by `Transactions.run`. */
  inTransaction(tx: Transaction): ReservationsRepository {
    return new ReservationsRepository(tx.manager.getRepository(ReservationEntity));
  }

  findOpen(): Promise<ReservationEntity[]> {
    return this.reservations.findBy({ releasedAt: IsNull() });
  }

  findOpenOf(migrationId: string): Promise<ReservationEntity[]> {
    return this.reservations.findBy({ migrationId, releasedAt: IsNull() });
  }

  insert(fields: NewReservation): Promise<ReservationEntity> {
    return this.reservations.save(this.reservations.create(fields));
  }

  async releaseOf(migrationId: string, at = new Date()): Promise<void> {
    await this.reservations.update({ migrationId, releasedAt: IsNull() }, { releasedAt: at });
  }
}
