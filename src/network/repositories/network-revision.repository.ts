import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Transaction } from '../../common/repositories/transactions';
import type { Repository } from 'typeorm';
import { NetworkRevisionEntity } from '../revision/network-revision.entity';

/** The desired-state revision: one row, so it keeps growing across controller restarts. */
@Injectable()
export class NetworkRevisionRepository {
  constructor(@InjectRepository(NetworkRevisionEntity) private readonly repo: Repository<NetworkRevisionEntity>) {}

  inTransaction(tx: Transaction): NetworkRevisionRepository {
    return new NetworkRevisionRepository(tx.manager.getRepository(NetworkRevisionEntity));
  }

  /** One statement (atomic on SQLite and PostgreSQL; in a transaction, PostgreSQL holds the row until commit). */
  async bump(): Promise<number> {
    await this.repo.increment({ id: 1 }, 'revision', 1);
    return this.read();
  }

  async read(): Promise<number> {
    const row = await this.repo.findOneBy({ id: 1 });
    return row?.revision ?? 0;
  }

  /** The revision and this database's generation, read together. */
  async current(): Promise<{ revision: number; generation: string | null }> {
    const row = await this.repo.findOneBy({ id: 1 });
    return { revision: row?.revision ?? 0, generation: row?.generation ?? null };
  }

  /** A take-over starts above every revision the agents hold (one statement, never lowers it). */
  async raiseAbove(revision: number): Promise<number> {
    await this.repo
      .createQueryBuilder()
      .update()
      .set({ revision: revision + 1 })
      .where('id = 1 AND revision <= :revision', { revision })
      .execute();
    return this.read();
  }
}
