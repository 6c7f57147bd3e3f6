import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import type { Transaction } from '../../../common/repositories/transactions';
import { DrainMoveEntity } from '../drain-move.entity';

export type DrainMoveFields = Omit<DrainMoveEntity, 'updatedAt'>;
export type DrainMoveChange = Partial<Pick<DrainMoveEntity, 'outcome' | 'reason' | 'migrationId'>>;

/** Every read and write of a drain's moves. `inTransaction(tx)` gives the same API inside a transaction. */
@Injectable()
export class DrainMovesRepository {
  constructor(@InjectRepository(DrainMoveEntity) private readonly repo: Repository<DrainMoveEntity>) {}

  inTransaction(tx: Transaction): DrainMovesRepository {
    return new DrainMovesRepository(tx.manager.getRepository(DrainMoveEntity));
  }

  /** A drain's moves in plan order. */
  findByDrain(drainId: string): Promise<DrainMoveEntity[]> {
    return this.repo.find({ where: { drainId }, order: { order: 'ASC' } });
  }

  /** Moves not yet ended (pending or running), in plan order: what a (resumed) drain still has to do. */
  findOpen(drainId: string): Promise<DrainMoveEntity[]> {
    return this.repo.find({ where: { drainId, outcome: In(['pending', 'running']) }, order: { order: 'ASC' } });
  }

  async insertMany(fields: readonly DrainMoveFields[]): Promise<void> {
    await this.repo.save(fields.map((f) => this.repo.create(f)));
  }

  async update(id: string, change: DrainMoveChange): Promise<void> {
    await this.repo.update({ id }, change);
  }
}
