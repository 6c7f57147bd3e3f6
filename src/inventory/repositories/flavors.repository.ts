import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { FlavorEntity } from '../flavors/flavor.entity';
import type { Transaction } from '../../common/repositories/transactions';
import { skipTake, type PageWindow } from './page-window';

export type FlavorFields = Omit<FlavorEntity, 'createdAt'>;

/** Every read and write of flavors. `inTransaction(tx)` gives the same API inside a transaction. */
@Injectable()
export class FlavorsRepository {
  constructor(@InjectRepository(FlavorEntity) private readonly repo: Repository<FlavorEntity>) {}

  inTransaction(tx: Transaction): FlavorsRepository {
    return new FlavorsRepository(tx.manager.getRepository(FlavorEntity));
  }

  findById(id: string): Promise<FlavorEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** For references the caller knows exist (an instance's flavor): a missing one is an internal error. */
  async getById(id: string): Promise<FlavorEntity> {
    const flavor = await this.repo.findOneBy({ id });
    if (!flavor) throw new Error(`flavor ${id} does not exist`);
    return flavor;
  }

  findByName(name: string): Promise<FlavorEntity | null> {
    return this.repo.findOneBy({ name });
  }

  findByIds(ids: readonly string[]): Promise<FlavorEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.repo.findBy({ id: In([...ids]) });
  }

  /** Smallest first, as flavors are listed everywhere. */
  findAll(): Promise<FlavorEntity[]> {
    return this.repo.find({ order: { ramMiB: 'ASC', name: 'ASC' } });
  }

  page(window: PageWindow): Promise<[FlavorEntity[], number]> {
    return this.repo.findAndCount({ order: { ramMiB: 'ASC', name: 'ASC' }, ...skipTake(window) });
  }

  existsById(id: string): Promise<boolean> {
    return this.repo.existsBy({ id });
  }

  existsByName(name: string): Promise<boolean> {
    return this.repo.existsBy({ name });
  }

  insert(fields: FlavorFields): Promise<FlavorEntity> {
    return this.repo.save(this.repo.create(fields));
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }
}
