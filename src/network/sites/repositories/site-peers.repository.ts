import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { skipTake, type PageWindow } from '../../../inventory/repositories/page-window';
import { SitePeerEntity } from '../site-peer.entity';

export type SitePeerFields = Omit<SitePeerEntity, 'createdAt' | 'updatedAt'>;

/** Every read and write of site peers. */
@Injectable()
export class SitePeersRepository {
  constructor(@InjectRepository(SitePeerEntity) private readonly repo: Repository<SitePeerEntity>) {}

  page(window: PageWindow): Promise<[SitePeerEntity[], number]> {
    return this.repo.findAndCount({ order: { name: 'ASC' }, ...skipTake(window) });
  }

  findById(id: string): Promise<SitePeerEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByName(name: string): Promise<SitePeerEntity | null> {
    return this.repo.findOneBy({ name });
  }

  save(peer: SitePeerEntity | SitePeerFields): Promise<SitePeerEntity> {
    return this.repo.save(this.repo.create(peer));
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }
}
