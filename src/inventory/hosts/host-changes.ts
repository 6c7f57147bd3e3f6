import { Injectable } from '@nestjs/common';
import type { Transaction } from '../../common/repositories/transactions';

export interface VtepChange {
  hostId: string;
  vtepIp: string | null;
}

/** Told of host changes inside the transaction that writes them: a throw rolls the host change back. */
export interface HostChangeObserver {
  vtepChanged(change: VtepChange, transaction: Transaction): Promise<void>;
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

  async vtepChanged(change: VtepChange, transaction: Transaction): Promise<void> {
    for (const observer of this.observers) await observer.vtepChanged(change, transaction);
  }
}
