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

/**
 * Admission when the running set lives elsewhere (the database, for every replica): the waiting ones,
 * oldest first, that fit beside those already running. The same rules as `MigrationQueue.admit`.
 */
export function admitBeside(
  running: readonly QueuedMigration[],
  waiting: readonly QueuedMigration[],
  limits: QueueLimits,
): QueuedMigration[] {
  const outbound = new Map<string, number>();
  const inbound = new Map<string, number>();
  const bump = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const m of running) {
    bump(outbound, m.sourceHostId);
    bump(inbound, m.destinationHostId);
  }
  let runningCount = running.length;
  const admitted: QueuedMigration[] = [];
  for (const m of waiting) {
    if (runningCount >= limits.perCluster) break;
    if ((outbound.get(m.sourceHostId) ?? 0) >= limits.perOutboundHost) continue;
    if ((inbound.get(m.destinationHostId) ?? 0) >= limits.perInboundHost) continue;
    bump(outbound, m.sourceHostId);
    bump(inbound, m.destinationHostId);
    runningCount++;
    admitted.push(m);
  }
  return admitted;
}
