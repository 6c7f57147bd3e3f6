import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { Transaction } from '../../../common/repositories/transactions';
import { RebalancePolicyEntity } from '../rebalance-policy.entity';

export type RebalancePolicyFields = Omit<RebalancePolicyEntity, 'createdAt' | 'updatedAt'>;

/** Every read and write of rebalance policies. `inTransaction(tx)` gives the same API inside a transaction. */
@Injectable()
export class RebalancePoliciesRepository {
  constructor(@InjectRepository(RebalancePolicyEntity) private readonly repo: Repository<RebalancePolicyEntity>) {}

  inTransaction(tx: Transaction): RebalancePoliciesRepository {
    return new RebalancePoliciesRepository(tx.manager.getRepository(RebalancePolicyEntity));
  }

  findById(id: string): Promise<RebalancePolicyEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** All policies by name. */
  findAll(): Promise<RebalancePolicyEntity[]> {
    return this.repo.find({ order: { name: 'ASC' } });
  }

  findEnabled(): Promise<RebalancePolicyEntity[]> {
    return this.repo.findBy({ enabled: true });
  }

  /** Rejects with the database's constraint error when the name is taken. */
  insert(fields: RebalancePolicyFields): Promise<RebalancePolicyEntity> {
    return this.repo.save(this.repo.create(fields));
  }

  /** Saves the loaded, changed policy; rejects with the constraint error when the new name is taken. */
  save(policy: RebalancePolicyEntity): Promise<RebalancePolicyEntity> {
    return this.repo.save(policy);
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }
}
