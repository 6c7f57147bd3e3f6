import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * An open database transaction, handed to repositories' `inTransaction(tx)`. Services pass it along without
 * knowing what is inside, so they never depend on TypeORM.
 */
export interface Transaction {
  readonly manager: EntityManager;
}

/** Runs work in one database transaction: everything the callback writes commits together or not at all. */
@Injectable()
export class Transactions {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work({ manager }));
  }
}
