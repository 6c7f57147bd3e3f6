import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Mutex } from '../mutex';

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
  /** SQLite has one connection: two transactions at once fail ("cannot start a transaction within a transaction"). */
  private readonly sqliteMutex = new Mutex();

  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const transaction = () => this.dataSource.transaction((manager) => work({ manager }));
    return this.dataSource.options.type === 'better-sqlite3' ? this.sqliteMutex.run(transaction) : transaction();
  }
}
