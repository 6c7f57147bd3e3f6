/** A migration waiting for, or holding, a concurrency slot. */
export interface QueuedMigration {
  id: string;
  sourceHostId: string;
  destinationHostId: string;
}

export interface QueueLimits {
  perCluster: number;
  perOutboundHost: number;
  perInboundHost: number;
}

/**
 * FIFO admission under cluster, outbound and inbound limits. A migration blocked by its hosts
 * does not hold back later ones whose hosts have room (as KubeVirt's controller does).
 */
export class MigrationQueue {
  private readonly pending: QueuedMigration[] = [];
  private readonly running = new Map<string, QueuedMigration>();

  constructor(private readonly limits: QueueLimits) {}

  enqueue(migration: QueuedMigration): void {
    if (this.running.has(migration.id) || this.pending.some((m) => m.id === migration.id)) return;
    this.pending.push(migration);
  }

  /** Removes a migration that has not started; false when it is not waiting. */
  remove(id: string): boolean {
    const index = this.pending.findIndex((m) => m.id === id);
    if (index < 0) return false;
    this.pending.splice(index, 1);
    return true;
  }

  /** Takes every waiting migration that fits now, in arrival order, and marks it running. */
  admit(): QueuedMigration[] {
    const admitted: QueuedMigration[] = [];
    for (let i = 0; i < this.pending.length && this.running.size < this.limits.perCluster;) {
      const m = this.pending[i];
      if (
        this.count('sourceHostId', m.sourceHostId) < this.limits.perOutboundHost &&
        this.count('destinationHostId', m.destinationHostId) < this.limits.perInboundHost
      ) {
        this.pending.splice(i, 1);
        this.running.set(m.id, m);
        admitted.push(m);
      } else {
        i++;
      }
    }
    return admitted;
  }

  finish(id: string): void {
    this.running.delete(id);
  }

  isWaiting(id: string): boolean {
    return this.pending.some((m) => m.id === id);
  }

  get runningCount(): number {
    return this.running.size;
  }

  get waitingCount(): number {
    return this.pending.length;
  }

  private count(key: 'sourceHostId' | 'destinationHostId', hostId: string): number {
    let n = 0;
    for (const m of this.running.values()) if (m[key] === hostId) n++;
    return n;
  }
}
