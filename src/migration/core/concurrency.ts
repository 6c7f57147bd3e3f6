// KubeVirt-style migration concurrency limits and the list-scheduling simulation under them.

export interface ConcurrencyLimits {
  readonly perCluster: number;
  readonly perOutboundHost: number;
  readonly perInboundHost: number;
}

/** KubeVirt parallelMigrationsPerCluster 5, parallelOutboundMigrationsPerNode 2; inbound mirrors outbound. */
export const DEFAULT_CONCURRENCY_LIMITS: ConcurrencyLimits = { perCluster: 5, perOutboundHost: 2, perInboundHost: 2 };

export function resolveLimits(overrides: Partial<ConcurrencyLimits> = {}): ConcurrencyLimits {
  const limits = { ...DEFAULT_CONCURRENCY_LIMITS, ...overrides };
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${key} must be an integer >= 1, got ${value}`);
  }
  return limits;
}

export interface MigrationJob {
  readonly id: string;
  readonly sourceHostId: string;
  readonly destinationHostId: string;
  readonly durationSec: number;
}

export interface JobSlot {
  readonly id: string;
  readonly startSec: number;
  readonly endSec: number;
}

export interface ScheduleSimulation {
  /** In start order. */
  readonly slots: readonly JobSlot[];
  readonly makespanSec: number;
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

/**
 * Greedy list scheduling: whenever a slot frees, start the first jobs in priority order whose
 * source, destination and the cluster all have room. Jobs never wait behind a blocked one.
 */
export function simulateSchedule(jobsInPriorityOrder: readonly MigrationJob[], limits: ConcurrencyLimits): ScheduleSimulation {
  const pending = [...jobsInPriorityOrder];
  const running: { job: MigrationJob; endSec: number }[] = [];
  const outbound = new Map<string, number>();
  const inbound = new Map<string, number>();
  const slots: JobSlot[] = [];
  let nowSec = 0;
  let makespanSec = 0;

  while (pending.length > 0 || running.length > 0) {
    for (let i = 0; i < pending.length && running.length < limits.perCluster;) {
      const job = pending[i];
      if (
        (outbound.get(job.sourceHostId) ?? 0) < limits.perOutboundHost &&
        (inbound.get(job.destinationHostId) ?? 0) < limits.perInboundHost
      ) {
        pending.splice(i, 1);
        const endSec = nowSec + job.durationSec;
        running.push({ job, endSec });
        slots.push({ id: job.id, startSec: nowSec, endSec });
        bump(outbound, job.sourceHostId, 1);
        bump(inbound, job.destinationHostId, 1);
        makespanSec = Math.max(makespanSec, endSec);
      } else {
        i++;
      }
    }
    if (running.length === 0) break;
    nowSec = Math.min(...running.map((r) => r.endSec));
    for (let i = running.length - 1; i >= 0; i--) {
      if (running[i].endSec <= nowSec) {
        bump(outbound, running[i].job.sourceHostId, -1);
        bump(inbound, running[i].job.destinationHostId, -1);
        running.splice(i, 1);
      }
    }
  }
  return { slots, makespanSec };
}

export interface MakespanBound {
  readonly boundSec: number;
  readonly bySourceSec: number;
  readonly byDestinationSec: number;
  readonly byClusterSec: number;
  readonly longestJobSec: number;
}

/**
 * No schedule can beat any of: the longest job; a source's (or destination's) total job time over
 * its slot count; all job time over the cluster's slot count. The bound is the largest of these.
 */
export function makespanLowerBound(jobs: readonly MigrationJob[], limits: ConcurrencyLimits): MakespanBound {
  const bySource = new Map<string, number>();
  const byDestination = new Map<string, number>();
  let total = 0;
  let longestJobSec = 0;
  for (const job of jobs) {
    bump(bySource, job.sourceHostId, job.durationSec);
    bump(byDestination, job.destinationHostId, job.durationSec);
    total += job.durationSec;
    longestJobSec = Math.max(longestJobSec, job.durationSec);
  }
  const bySourceSec = Math.max(0, ...[...bySource.values()].map((s) => s / limits.perOutboundHost));
  const byDestinationSec = Math.max(0, ...[...byDestination.values()].map((s) => s / limits.perInboundHost));
  const byClusterSec = total / limits.perCluster;
  return {
    boundSec: Math.max(bySourceSec, byDestinationSec, byClusterSec, longestJobSec),
    bySourceSec,
    byDestinationSec,
    byClusterSec,
    longestJobSec,
  };
}
