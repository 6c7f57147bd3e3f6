import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Transaction } from '../../common/repositories/transactions';
import type { Repository } from 'typeorm';
import { skipTake, type PageWindow } from '../../inventory/repositories/page-window';
import { FloatingIpEntity } from '../floating-ips/floating-ip.entity';
import { PortEntity } from '../ports/port.entity';

export type FloatingIpFields = Omit<FloatingIpEntity, 'createdAt' | 'updatedAt'>;

/** Every read and write of floating IPs. `inTransaction` gives the same API bound to a transaction. */
@Injectable()
export class FloatingIpsRepository {
  constructor(@InjectRepository(FloatingIpEntity) private readonly repo: Repository<FloatingIpEntity>) {}

  inTransaction(tx: Transaction): FloatingIpsRepository {
    return new FloatingIpsRepository(tx.manager.getRepository(FloatingIpEntity));
  }

  findAll(): Promise<FloatingIpEntity[]> {
    return this.repo.find();
  }

  page(window: PageWindow): Promise<[FloatingIpEntity[], number]> {
    return this.repo.findAndCount({ order: { createdAt: 'ASC', id: 'ASC' }, ...skipTake(window) });
  }

  findById(id: string): Promise<FloatingIpEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByPort(portId: string): Promise<FloatingIpEntity | null> {
    return this.repo.findOneBy({ portId });
  }

  async addressesOn(networkId: string): Promise<string[]> {
    const fips = await this.repo.find({ where: { networkId }, select: { address: true } });
    return fips.map((f) => f.address);
  }

  countByRouter(routerId: string): Promise<number> {
    return this.repo.countBy({ routerId });
  }

  /** Floating IPs the router serves for ports of that subnet. */
  countServedOn(routerId: string, subnetId: string): Promise<number> {
    return this.repo
      .createQueryBuilder('f')
      .innerJoin(PortEntity, 'p', 'p.id = f.port_id')
      .where('f.router_id = :routerId AND p.subnet_id = :subnetId', { routerId, subnetId })
      .getCount();
  }

  /** Inserts or updates the floating IP as it stands. */
  save(fip: FloatingIpEntity | FloatingIpFields): Promise<FloatingIpEntity> {
    return this.repo.save(this.repo.create(fip));
  }

  async dissociatePort(portId: string): Promise<void> {
    await this.repo.update({ portId }, { portId: null, routerId: null });
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }
}
