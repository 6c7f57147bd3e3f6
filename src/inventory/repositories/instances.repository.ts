import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type FindOptionsWhere, type Repository } from 'typeorm';
import { InstanceEntity, type InstanceState } from '../instances/instance.entity';
import type { Transaction } from '../../common/repositories/transactions';
import { skipTake, type PageWindow } from './page-window';

export type InstanceFields = Omit<InstanceEntity, 'createdAt' | 'updatedAt'>;
export type InstancePatch = Partial<Omit<InstanceEntity, 'id' | 'createdAt' | 'updatedAt'>>;
export interface InstanceFilter {
  hostId?: string;
  flavorId?: string;
  state?: InstanceState;
}

/** Every read and write of instances (guests). `inTransaction(tx)` gives the same API inside a transaction. */
@Injectable()
export class InstancesRepository {
  constructor(@InjectRepository(InstanceEntity) private readonly repo: Repository<InstanceEntity>) {}

  inTransaction(tx: Transaction): InstancesRepository {
    return new InstancesRepository(tx.manager.getRepository(InstanceEntity));
  }

  findById(id: string): Promise<InstanceEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** For references the caller knows exist (a migration's instance): a missing one is an internal error. */
  async getById(id: string): Promise<InstanceEntity> {
    const instance = await this.repo.findOneBy({ id });
    if (!instance) throw new Error(`instance ${id} does not exist`);
    return instance;
  }

  findByName(name: string): Promise<InstanceEntity | null> {
    return this.repo.findOneBy({ name });
  }

  findByIds(ids: readonly string[]): Promise<InstanceEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.repo.findBy({ id: In([...ids]) });
  }

  /** Instances by name, filtered. */
  findAll(filter: InstanceFilter = {}): Promise<InstanceEntity[]> {
    return this.repo.find({ where: where(filter), order: { name: 'ASC' } });
  }

  page(filter: InstanceFilter, window: PageWindow): Promise<[InstanceEntity[], number]> {
    return this.repo.findAndCount({ where: where(filter), order: { name: 'ASC' }, ...skipTake(window) });
  }

  count(filter: InstanceFilter): Promise<number> {
    return this.repo.countBy(where(filter));
  }

  existsByName(name: string): Promise<boolean> {
    return this.repo.existsBy({ name });
  }

  existsByDomainUuid(domainUuid: string): Promise<boolean> {
    return this.repo.existsBy({ domainUuid });
  }

  insert(fields: InstanceFields): Promise<InstanceEntity> {
    return this.repo.save(this.repo.create(fields));
  }

  /** Applies the patch to the loaded instance and saves it; returns the saved instance. */
  save(instance: InstanceEntity, patch: InstancePatch = {}): Promise<InstanceEntity> {
    return this.repo.save(this.repo.merge(instance, patch));
  }

  async update(id: string, patch: InstancePatch): Promise<void> {
    await this.repo.update({ id }, patch);
  }

  /** Where the guest runs now and its state: the one write a migration's end makes. */
  async place(id: string, hostId: string, state: InstanceState): Promise<void> {
    await this.repo.update({ id }, { hostId, state });
  }

  async setState(id: string, state: InstanceState): Promise<void> {
    await this.repo.update({ id }, { state });
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }
}

function where(filter: InstanceFilter): FindOptionsWhere<InstanceEntity> {
  const w: FindOptionsWhere<InstanceEntity> = {};
  if (filter.hostId !== undefined) w.hostId = filter.hostId;
  if (filter.flavorId !== undefined) w.flavorId = filter.flavorId;
  if (filter.state !== undefined) w.state = filter.state;
  return w;
}
