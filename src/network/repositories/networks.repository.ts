import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Transaction } from '../../common/repositories/transactions';
import type { Repository } from 'typeorm';
import { skipTake, type PageWindow } from '../../inventory/repositories/page-window';
import { NetworkEntity } from '../networks/network.entity';

export type NetworkFields = Omit<NetworkEntity, 'createdAt' | 'updatedAt'>;
export type NetworkPatch = Partial<Omit<NetworkEntity, 'id' | 'createdAt' | 'updatedAt'>>;

/** Every read and write of tenant networks. `inTransaction` gives the same API bound to a transaction. */
@Injectable()
export class NetworksRepository {
  constructor(@InjectRepository(NetworkEntity) private readonly repo: Repository<NetworkEntity>) {}

  inTransaction(tx: Transaction): NetworksRepository {
    return new NetworksRepository(tx.manager.getRepository(NetworkEntity));
  }

  findAll(): Promise<NetworkEntity[]> {
    return this.repo.find();
  }

  page(window: PageWindow): Promise<[NetworkEntity[], number]> {
    return this.repo.findAndCount({ order: { vni: 'ASC' }, ...skipTake(window) });
  }

  findById(id: string): Promise<NetworkEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** For references the caller knows exist (a subnet's network): a missing one is an internal error. */
  async getById(id: string): Promise<NetworkEntity> {
    const network = await this.repo.findOneBy({ id });
    if (!network) throw new Error(`network ${id} does not exist`);
    return network;
  }

  findByVni(vni: number): Promise<NetworkEntity | null> {
    return this.repo.findOneBy({ vni });
  }

  insert(fields: NetworkFields): Promise<NetworkEntity> {
    return this.repo.save(this.repo.create(fields));
  }

  save(network: NetworkEntity, patch: NetworkPatch = {}): Promise<NetworkEntity> {
    return this.repo.save(this.repo.merge(network, patch));
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }
}
