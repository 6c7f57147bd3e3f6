import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Transaction } from '../../common/repositories/transactions';
import type { Repository } from 'typeorm';
import { skipTake, type PageWindow } from '../../inventory/repositories/page-window';
import { PortEntity } from '../ports/port.entity';
import { RouterEntity } from '../routers/router.entity';

export type RouterFields = Omit<RouterEntity, 'createdAt' | 'updatedAt'>;

/** Every read and write of routers; their interfaces and gateway are ports (PortsRepository). */
@Injectable()
export class RoutersRepository {
  constructor(@InjectRepository(RouterEntity) private readonly repo: Repository<RouterEntity>) {}

  inTransaction(tx: Transaction): RoutersRepository {
    return new RoutersRepository(tx.manager.getRepository(RouterEntity));
  }

  findAll(): Promise<RouterEntity[]> {
    return this.repo.find();
  }

  page(window: PageWindow): Promise<[RouterEntity[], number]> {
    return this.repo.findAndCount({ order: { createdAt: 'ASC', id: 'ASC' }, ...skipTake(window) });
  }

  findById(id: string): Promise<RouterEntity | null> {
    return this.repo.findOneBy({ id });
  }

  countByExternalNetwork(networkId: string): Promise<number> {
    return this.repo.countBy({ externalNetworkId: networkId });
  }

  /** The first router (by id) with an interface on the subnet and its gateway on the external network. */
  findServing(externalNetworkId: string, subnetId: string): Promise<RouterEntity | null> {
    return this.repo
      .createQueryBuilder('r')
      .innerJoin(PortEntity, 'p', "p.device_id = r.id AND p.device_owner = 'router_interface'")
      .where('r.external_network_id = :externalNetworkId AND p.subnet_id = :subnetId', { externalNetworkId, subnetId })
      .orderBy('r.id')
      .getOne();
  }

  /** Inserts or updates the router as it stands. */
  save(router: RouterEntity | RouterFields): Promise<RouterEntity> {
    return this.repo.save(this.repo.create(router));
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }
}
