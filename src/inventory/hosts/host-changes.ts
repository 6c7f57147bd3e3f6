import { Injectable } from '@nestjs/common';
import type { HostsRepository } from '../repositories/hosts.repository';

/** The transaction a host change is written in: what the inventory's repositories bind to. */
export type HostTransaction = Parameters<HostsRepository['inTransaction']>[0];

export interface VtepChange {
  hostId: string;
  vtepIp: string | null;
}

/** Told of host changes inside the transaction that writes them: a throw rolls the host change back. */
export interface HostChangeObserver {
  vtepChanged(change: VtepChange, transaction: HostTransaction): Promise<void>;
}

/**
 * Where the inventory publishes host changes. Modules above it (the network model) register observers,
 * so the inventory needs to know none of them.
 */
@Injectable()
export class HostChanges {
  private readonly observers: HostChangeObserver[] = [];

  observe(observer: HostChangeObserver): void {
    this.observers.push(observer);
  }

  async vtepChanged(change: VtepChange, transaction: HostTransaction): Promise<void> {
    for (const observer of this.observers) await observer.vtepChanged(change, transaction);
  }
}
