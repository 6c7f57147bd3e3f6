import { Injectable } from '@nestjs/common';
import { NetworkSyncService } from './network-sync.service';
import type { Synced } from './network-sync-report';

/** Every change through the REST API: it commits with its new revision, then the new state is pushed; the response says which hosts it reached. */
@Injectable()
export class NetworkChanges {
  constructor(private readonly sync: NetworkSyncService) {}

  async synced<T extends object>(change: Promise<T>): Promise<Synced<T>> {
    const result = await change;
    return Object.assign(result, { sync: await this.sync.afterChange() });
  }

  async deleted(id: string, change: Promise<void>): Promise<Synced<{ deleted: string }>> {
    await change;
    return { deleted: id, sync: await this.sync.afterChange() };
  }
}
