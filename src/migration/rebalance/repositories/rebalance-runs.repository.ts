import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { Transaction } from '../../../common/repositories/transactions';
import { RebalanceRunEntity, type RebalanceRunResult, type RebalanceRunState } from '../rebalance-run.entity';

export type RebalanceRunFields = Omit<RebalanceRunEntity, 'createdAt'>;

/** Every read and write of rebalance runs. `inTransaction(tx)` gives the same API inside a transaction. */
@Injectable()
export class RebalanceRunsRepository {
  constructor(@InjectRepository(RebalanceRunEntity) private readonly repo: Repository<RebalanceRunEntity>) {}

  inTransaction(tx: Transaction): RebalanceRunsRepository {
    return new RebalanceRunsRepository(tx.manager.getRepository(RebalanceRunEntity));
  }

  findById(id: string): Promise<RebalanceRunEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** A policy's runs, newest first, the last 100. */
  findRecentOfPolicy(policyId: string): Promise<RebalanceRunEntity[]> {
    return this.repo.find({ where: { policyId }, order: { createdAt: 'DESC' }, take: 100 });
  }

  findRunning(): Promise<RebalanceRunEntity[]> {
    return this.repo.findBy({ state: 'running' });
  }

  insert(fields: RebalanceRunFields): Promise<RebalanceRunEntity> {
    return this.repo.save(this.repo.create(fields));
  }

  /** Progress of an executing run: the results so far. */
  async recordResults(id: string, results: RebalanceRunResult[]): Promise<void> {
    await this.repo.update({ id }, { results });
  }

  /** The run's end; results are kept as they are when not given. */
  async finish(id: string, state: RebalanceRunState, finishedAt: Date, results?: RebalanceRunResult[]): Promise<void> {
    await this.repo.update({ id }, results ? { state, results, finishedAt } : { state, finishedAt });
  }
}
