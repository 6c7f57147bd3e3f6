// Host maintenance (Watcher host_maintenance, KubeVirt drain): move every instance off the given hosts.
import { CapacityLedger, type CapacityClaim } from './capacity-ledger';
import {
  makespanLowerBound,
  resolveLimits,
  simulateSchedule,
  type ConcurrencyLimits,
  type MakespanBound,
  type MigrationJob,
  type ScheduleSimulation,
} from './concurrency';
import { JOB_ORDERINGS, type JobOrdering } from './job-order';
import { predictPrecopy, type PrecopyPrediction } from './precopy-model';
import {
  bestHost,
  DEFAULT_SCHEDULER_OPTIONS,
  scheduleInstance,
  summariseRejections,
  type RejectSummary,
  type SchedulerOptions,
} from './scheduler';
import type { HostCapacity, InstanceLoad } from './types';
import { MiB } from './units';

export interface PrecopyCosts {
  readonly setupSec: number;
  readonly perIterationOverheadSec: number;
  readonly maxIterations: number;
  /** Non-memory downtime per switchover (device state, resume). */
  readonly switchoverFixedMs: number;
}

export interface DrainRequest {
  readonly sourceHostIds: readonly string[];
  readonly hosts: readonly HostCapacity[];
  readonly instances: readonly InstanceLoad[];
  /** Watcher's backup node(s): only these may receive; otherwise any host the scheduler accepts. */
  readonly destinationHostIds?: readonly string[];
  readonly limits?: Partial<ConcurrencyLimits>;
  readonly maxDowntimeMs?: number;
  /** KubeVirt bandwidthPerMigration; each migration also gets at most its host's share. */
  readonly bandwidthPerMigrationBytesPerSec?: number;
  readonly precopy?: Partial<PrecopyCosts>;
  readonly scheduler?: Partial<SchedulerOptions>;
  /** Destinations already promised to migrations planned elsewhere. */
  readonly pendingClaims?: readonly CapacityClaim[];
}

export interface PlannedMove {
  readonly order: number;
  readonly instanceId: string;
  readonly instanceName: string;
  readonly sourceHostId: string;
  readonly destinationHostId: string;
  readonly memoryMiB: number;
  readonly bandwidthBytesPerSec: number;
  readonly prediction: PrecopyPrediction;
  readonly startSec: number;
  readonly endSec: number;
}

export interface UnplaceableInstance {
  readonly instanceId: string;
  readonly instanceName: string;
  readonly sourceHostId: string;
  readonly reasons: readonly RejectSummary[];
}

export interface DrainPlan {
  readonly moves: readonly PlannedMove[];
  readonly unplaceable: readonly UnplaceableInstance[];
  readonly makespanSec: number;
  /** The priority order whose simulated schedule was shortest. */
  readonly ordering: JobOrdering;
  /** Bound on the predicted migration times (includes re-sent dirty pages and setup). */
  readonly lowerBound: MakespanBound;
  /** Bound on RAM ÷ per-migration bandwidth only: what a perfect link and idle guests would allow. */
  readonly ramLowerBound: MakespanBound;
  readonly limits: ConcurrencyLimits;
}

export const DEFAULT_PRECOPY_COSTS: PrecopyCosts = { setupSec: 0, perIterationOverheadSec: 0, maxIterations: 30, switchoverFixedMs: 0 };
export const DEFAULT_DRAIN_MAX_DOWNTIME_MS = 500;

/** Big guests first: they are the hardest to fit, so they choose before the small ones fill the gaps. */
function byMemoryDesc(a: InstanceLoad, b: InstanceLoad): number {
  return b.memoryMiB - a.memoryMiB || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** oVirt shares a host's migration bandwidth evenly among its outbound slots. */
function perMigrationBandwidth(source: HostCapacity, limits: ConcurrencyLimits, capBytesPerSec?: number): number {
  const share = source.migrationBandwidthBytesPerSec / limits.perOutboundHost;
  return capBytesPerSec !== undefined && capBytesPerSec > 0 ? Math.min(share, capBytesPerSec) : share;
}

interface Placement {
  readonly instance: InstanceLoad;
  readonly source: HostCapacity;
  readonly destinationHostId: string;
  readonly bandwidthBytesPerSec: number;
  readonly prediction: PrecopyPrediction;
}

export function planDrain(request: DrainRequest): DrainPlan {
  const limits = resolveLimits(request.limits);
  const options = { ...DEFAULT_SCHEDULER_OPTIONS, ...request.scheduler };
  const costs = { ...DEFAULT_PRECOPY_COSTS, ...request.precopy };
  const maxDowntimeMs = request.maxDowntimeMs ?? DEFAULT_DRAIN_MAX_DOWNTIME_MS;
  const ledger = new CapacityLedger(request.hosts, request.pendingClaims);
  const sources = new Set(request.sourceHostIds);
  for (const id of sources) if (!ledger.get(id)) throw new RangeError(`unknown source host ${id}`);
  const allowed = request.destinationHostIds ? new Set(request.destinationHostIds) : null;
  // Draining hosts never receive; with backup nodes given, every other host is excluded too.
  const excluded = new Set(sources);
  if (allowed) for (const host of request.hosts) if (!allowed.has(host.id)) excluded.add(host.id);

  const placements: Placement[] = [];
  const unplaceable: UnplaceableInstance[] = [];
  const leaving = request.instances.filter((i) => sources.has(i.hostId)).sort(byMemoryDesc);
  for (const instance of leaving) {
    const placementRequest = { instance, excludeHostIds: excluded };
    const destination = bestHost(placementRequest, ledger.hosts(), options);
    if (!destination) {
      const { rejected } = scheduleInstance(placementRequest, ledger.hosts(), options);
      unplaceable.push({
        instanceId: instance.id,
        instanceName: instance.name,
        sourceHostId: instance.hostId,
        reasons: summariseRejections(rejected.filter((r) => !sources.has(r.hostId))),
      });
      continue;
    }
    ledger.claim({ hostId: destination.id, vcpus: instance.vcpus, memoryMiB: instance.memoryMiB });
    const source = ledger.get(instance.hostId) as HostCapacity;
    const bandwidthBytesPerSec = perMigrationBandwidth(source, limits, request.bandwidthPerMigrationBytesPerSec);
    const prediction = predictPrecopy({
      ramBytes: instance.memoryMiB * MiB,
      dirtyRateBytesPerSec: instance.dirtyRateBytesPerSec,
      bandwidthBytesPerSec,
      maxDowntimeMs,
      workingSetBytes: instance.workingSetBytes,
      setupSec: costs.setupSec,
      perIterationOverheadSec: costs.perIterationOverheadSec,
      maxIterations: costs.maxIterations,
      switchoverFixedMs: costs.switchoverFixedMs,
    });
    placements.push({ instance, source, destinationHostId: destination.id, bandwidthBytesPerSec, prediction });
  }
  return schedulePlacements(placements, unplaceable, limits);
}

function schedulePlacements(
  placements: readonly Placement[],
  unplaceable: readonly UnplaceableInstance[],
  limits: ConcurrencyLimits,
): DrainPlan {
  const jobFor = (p: Placement, durationSec: number): MigrationJob => ({
    id: p.instance.id,
    sourceHostId: p.instance.hostId,
    destinationHostId: p.destinationHostId,
    durationSec,
  });
  const jobs = placements.map((p) => jobFor(p, p.prediction.totalTimeSec));
  // Simulating is cheap next to placement, so try each priority order and keep the shortest schedule.
  let best: { ordering: JobOrdering; simulation: ScheduleSimulation } | null = null;
  for (const ordering of Object.keys(JOB_ORDERINGS) as JobOrdering[]) {
    const simulation = simulateSchedule(JOB_ORDERINGS[ordering](jobs), limits);
    if (!best || simulation.makespanSec < best.simulation.makespanSec) best = { ordering, simulation };
  }
  const { ordering, simulation } = best as { ordering: JobOrdering; simulation: ScheduleSimulation };
  const byId = new Map(placements.map((p) => [p.instance.id, p]));
  const moves = simulation.slots.map((slot, order): PlannedMove => {
    const p = byId.get(slot.id) as Placement;
    return {
      order,
      instanceId: p.instance.id,
      instanceName: p.instance.name,
      sourceHostId: p.instance.hostId,
      destinationHostId: p.destinationHostId,
      memoryMiB: p.instance.memoryMiB,
      bandwidthBytesPerSec: p.bandwidthBytesPerSec,
      prediction: p.prediction,
      startSec: slot.startSec,
      endSec: slot.endSec,
    };
  });
  const ramJobs = placements.map((p) => jobFor(p, (p.instance.memoryMiB * MiB) / p.bandwidthBytesPerSec));
  return {
    moves,
    unplaceable,
    makespanSec: simulation.makespanSec,
    ordering,
    lowerBound: makespanLowerBound(jobs, limits),
    ramLowerBound: makespanLowerBound(ramJobs, limits),
    limits,
  };
}
