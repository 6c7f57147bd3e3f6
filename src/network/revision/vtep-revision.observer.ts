import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Transaction } from '../../common/repositories/transactions';
import { HostChanges, type HostChangeObserver, type VtepChange } from '../../inventory/hosts/host-changes';
import { NetworkTransactions } from '../repositories/network-transactions';

/**
 * Every host's flood list names each VTEP, so a host's new VTEP is a new desired state: the revision goes up
 * in the transaction that saves the host. The agents get it with the next resync.
 */
@Injectable()
export class VtepRevisionObserver implements HostChangeObserver, OnModuleInit {
  constructor(
    private readonly hostChanges: HostChanges,
    private readonly transactions: NetworkTransactions,
  ) {}

  onModuleInit(): void {
    this.hostChanges.observe(this);
  }

  async vtepChanged(_change: VtepChange, transaction: Transaction): Promise<void> {
    await this.transactions.within(transaction).revision.bump();
  }
}
