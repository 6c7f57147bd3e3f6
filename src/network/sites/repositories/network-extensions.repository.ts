import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { Transaction } from '../../../common/repositories/transactions';
import { NetworkExtensionEntity } from '../network-extension.entity';

export type NetworkExtensionFields = Omit<NetworkExtensionEntity, 'createdAt'>;

/** Every read and write of network extensions to site peers. */
@Injectable()
export class NetworkExtensionsRepository {
  constructor(@InjectRepository(NetworkExtensionEntity) private readonly repo: Repository<NetworkExtensionEntity>) {}

  inTransaction(tx: Transaction): NetworkExtensionsRepository {
    return new NetworkExtensionsRepository(tx.manager.getRepository(NetworkExtensionEntity));
  }

  findByPeer(sitePeerId: string): Promise<NetworkExtensionEntity[]> {
    return this.repo.find({ where: { sitePeerId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findByNetwork(networkId: string): Promise<NetworkExtensionEntity[]> {
    return this.repo.find({ where: { networkId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findOne(sitePeerId: string, networkId: string): Promise<NetworkExtensionEntity | null> {
    return this.repo.findOneBy({ sitePeerId, networkId });
  }

  countByPeer(sitePeerId: string): Promise<number> {
    return this.repo.countBy({ sitePeerId });
  }

  insert(fields: NetworkExtensionFields): Promise<NetworkExtensionEntity> {
    return this.repo.save(this.repo.create(fields));
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }
}
