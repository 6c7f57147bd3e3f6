import { Injectable } from '@nestjs/common';
import { Mutex } from '../../common/mutex';
import { Transactions, type Transaction } from '../../common/repositories/transactions';
import { FloatingIpsRepository } from './floating-ips.repository';
import { NetworkRevisionRepository } from './network-revision.repository';
import { NetworksRepository } from './networks.repository';
import { PortsRepository } from './ports.repository';
import { RoutersRepository } from './routers.repository';
import { SubnetsRepository } from './subnets.repository';

/** The network model's repositories, all bound to one transaction. */
export interface NetworkRepositories {
  readonly networks: NetworksRepository;
  readonly subnets: SubnetsRepository;
  readonly ports: PortsRepository;
  readonly routers: RoutersRepository;
  readonly floatingIps: FloatingIpsRepository;
  readonly revision: NetworkRevisionRepository;
}

/**
 * Transactions over the network model. `change` is how every edit of the model is written: the edit and the
 * revision bump commit together, so an agent never sees a revision without its change, nor a change without
 * a new revision. Work must use only the repositories it is handed, and never open another transaction.
 */
@Injectable()
export class NetworkTransactions {
  // SQLite has one connection: two transactions at once would nest as savepoints of each other.
  private readonly mutex = new Mutex();

  constructor(
    private readonly transactions: Transactions,
    private readonly networks: NetworksRepository,
    private readonly subnets: SubnetsRepository,
    private readonly ports: PortsRepository,
    private readonly routers: RoutersRepository,
    private readonly floatingIps: FloatingIpsRepository,
    private readonly revision: NetworkRevisionRepository,
  ) {}

  /** Runs the work in one transaction; a throw rolls all of it back. */
  run<T>(work: (tx: NetworkRepositories) => Promise<T>): Promise<T> {
    return this.mutex.run(() => this.transactions.run((tx) => work(this.within(tx))));
  }

  /** An edit of the model and its revision bump, in one transaction. */
  change<T>(work: (tx: NetworkRepositories) => Promise<T>): Promise<T> {
    return this.run(async (tx) => {
      const result = await work(tx);
      await tx.revision.bump();
      return result;
    });
  }

  /** The repositories bound to a transaction another module opened (a host's VTEP change). */
  within(tx: Transaction): NetworkRepositories {
    return {
      networks: this.networks.inTransaction(tx),
      subnets: this.subnets.inTransaction(tx),
      ports: this.ports.inTransaction(tx),
      routers: this.routers.inTransaction(tx),
      floatingIps: this.floatingIps.inTransaction(tx),
      revision: this.revision.inTransaction(tx),
    };
  }
}
