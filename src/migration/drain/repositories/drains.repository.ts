import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { Transaction } from '../../../common/repositories/transactions';
import { DrainEntity, type DrainState } from '../drain.entity';

export type DrainFields = Omit<DrainEntity, 'createdAt' | 'updatedAt'>;

/** Every read and write of drains. `inTransaction(tx)` gives the same API inside a transaction. */
@Injectable()
export class DrainsRepository {
  constructor(@InjectRepository(DrainEntity) private readonly repo: Repository<DrainEntity>) {}

  inTransaction(tx: Transaction): DrainsRepository {
    return new DrainsRepository(tx.manager.getRepository(DrainEntity));
  }

  findById(id: string): Promise<DrainEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** The drain of this host still running, if any (one at a time per host). */
  findRunningOnHost(hostId: string): Promise<DrainEntity | null> {
    return this.repo.findOneBy({ hostId, state: 'running' });
  }

  findRunning(): Promise<DrainEntity[]> {
    return this.repo.findBy({ state: 'running' });
  }

  /** Newest first, the last 100, optionally of one host. */
  findRecent(filter: { hostId?: string } = {}): Promise<DrainEntity[]> {
    return this.repo.find({ where: filter.hostId ? { hostId: filter.hostId } : {}, order: { createdAt: 'DESC' }, take: 100 });
  }

  insert(fields: DrainFields): Promise<DrainEntity> {
    return this.repo.save(this.repo.create(fields));
  }

  /** Seen by the replica running the drain, through the row, when the cancel reached another one. */
  async requestCancel(id: string): Promise<void> {
    await this.repo.update({ id }, { cancelRequested: true });
  }

  async finish(id: string, state: DrainState, failureReason: string | null, finishedAt: Date): Promise<void> {
    await this.repo.update({ id }, { state, failureReason, finishedAt });
  }
}
