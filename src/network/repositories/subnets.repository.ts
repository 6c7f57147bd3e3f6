import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Transaction } from '../../common/repositories/transactions';
import { In, type Repository } from 'typeorm';
import { skipTake, type PageWindow } from '../../inventory/repositories/page-window';
import { SubnetEntity } from '../subnets/subnet.entity';

export type SubnetFields = Omit<SubnetEntity, 'createdAt'>;

/** Every read and write of subnets. `inTransaction` gives the same API bound to a transaction. */
@Injectable()
export class SubnetsRepository {
  constructor(@InjectRepository(SubnetEntity) private readonly repo: Repository<SubnetEntity>) {}

  inTransaction(tx: Transaction): SubnetsRepository {
    return new SubnetsRepository(tx.manager.getRepository(SubnetEntity));
  }

  findAll(): Promise<SubnetEntity[]> {
    return this.repo.find();
  }

  page(filter: { networkId?: string }, window: PageWindow): Promise<[SubnetEntity[], number]> {
    return this.repo.findAndCount({
      where: filter.networkId ? { networkId: filter.networkId } : {},
      order: { createdAt: 'ASC', id: 'ASC' },
      ...skipTake(window),
    });
  }

  findById(id: string): Promise<SubnetEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByIds(ids: readonly string[]): Promise<SubnetEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.repo.findBy({ id: In([...ids]) });
  }

  findByNetwork(networkId: string): Promise<SubnetEntity[]> {
    return this.repo.findBy({ networkId });
  }

  /** The network's first subnet (external networks: where gateways and floating IPs come from). */
  firstOf(networkId: string): Promise<SubnetEntity | null> {
    return this.repo.findOne({ where: { networkId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  countByNetwork(networkId: string): Promise<number> {
    return this.repo.countBy({ networkId });
  }

  insert(fields: SubnetFields): Promise<SubnetEntity> {
    return this.repo.save(this.repo.create(fields));
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }
}
