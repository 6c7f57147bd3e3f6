// Destination choice like Nova's filter scheduler: filters reject, the RAM weigher ranks.
import type { HostCapacity, InstanceLoad } from './types';

export type RejectReason =
  'is-source' | 'excluded' | 'disabled' | 'maintenance' | 'agent-down' | 'cpu-incompatible' | 'insufficient-vcpus' | 'insufficient-ram';

export type PlacementInstance = Pick<InstanceLoad, 'hostId' | 'vcpus' | 'memoryMiB' | 'requiredCpuFeatures'>;

export interface PlacementRequest {
  readonly instance: PlacementInstance;
  /** Hosts that must not receive anything, e.g. the other hosts being drained. */
  readonly excludeHostIds?: ReadonlySet<string>;
}

export interface SchedulerOptions {
  /** Placement capacity = (total - reserved) × ratio, as in Nova. */
  readonly cpuAllocationRatio: number;
  readonly ramAllocationRatio: number;
  /** Nova ram_weight_multiplier; negative values stack instead of spread. */
  readonly ramWeightMultiplier: number;
}

export const DEFAULT_SCHEDULER_OPTIONS: SchedulerOptions = {
  cpuAllocationRatio: 1,
  ramAllocationRatio: 1,
  ramWeightMultiplier: 1,
};

export function freeVcpus(host: HostCapacity, options: SchedulerOptions = DEFAULT_SCHEDULER_OPTIONS): number {
  return (host.vcpus - host.reservedVcpus) * options.cpuAllocationRatio - host.usedVcpus;
}

export function freeMemoryMiB(host: HostCapacity, options: SchedulerOptions = DEFAULT_SCHEDULER_OPTIONS): number {
  return (host.memoryMiB - host.reservedMemoryMiB) * options.ramAllocationRatio - host.usedMemoryMiB;
}

function cpuCompatible(host: HostCapacity, required: readonly string[] | undefined): boolean {
  if (!required || required.length === 0) return true;
  const offered = new Set(host.cpuFeatures ?? []);
  return required.every((feature) => offered.has(feature));
}

/** Every filter that rejects the host, so an operator sees all of them at once. Empty means it fits. */
export function hostRejectReasons(
  host: HostCapacity,
  request: PlacementRequest,
  options: SchedulerOptions = DEFAULT_SCHEDULER_OPTIONS,
): RejectReason[] {
  const reasons: RejectReason[] = [];
  const { instance } = request;
  if (host.id === instance.hostId) reasons.push('is-source');
  if (request.excludeHostIds?.has(host.id)) reasons.push('excluded');
  if (host.state === 'disabled') reasons.push('disabled');
  if (host.state === 'maintenance') reasons.push('maintenance');
  if (!host.agentUp) reasons.push('agent-down');
  if (!cpuCompatible(host, instance.requiredCpuFeatures)) reasons.push('cpu-incompatible');
  if (freeVcpus(host, options) < instance.vcpus) reasons.push('insufficient-vcpus');
  if (freeMemoryMiB(host, options) < instance.memoryMiB) reasons.push('insufficient-ram');
  return reasons;
}

export interface RankedHost {
  readonly host: HostCapacity;
  readonly freeVcpus: number;
  readonly freeMemoryMiB: number;
  /** Free RAM normalised to 0..1 over the passing hosts, times the multiplier (Nova's weigher). */
  readonly weight: number;
}

export interface RejectedHost {
  readonly hostId: string;
  readonly hostName: string;
  readonly reasons: readonly RejectReason[];
}

export interface ScheduleResult {
  readonly ranked: readonly RankedHost[];
  readonly rejected: readonly RejectedHost[];
}

export function scheduleInstance(
  request: PlacementRequest,
  hosts: readonly HostCapacity[],
  options: SchedulerOptions = DEFAULT_SCHEDULER_OPTIONS,
): ScheduleResult {
  const passing: { host: HostCapacity; freeVcpus: number; freeMemoryMiB: number }[] = [];
  const rejected: RejectedHost[] = [];
  for (const host of hosts) {
    const reasons = hostRejectReasons(host, request, options);
    if (reasons.length > 0) rejected.push({ hostId: host.id, hostName: host.name, reasons });
    else passing.push({ host, freeVcpus: freeVcpus(host, options), freeMemoryMiB: freeMemoryMiB(host, options) });
  }
  let min = Infinity;
  let max = -Infinity;
  for (const p of passing) {
    min = Math.min(min, p.freeMemoryMiB);
    max = Math.max(max, p.freeMemoryMiB);
  }
  const span = max - min;
  const ranked = passing
    .map((p) => ({ ...p, weight: (span > 0 ? (p.freeMemoryMiB - min) / span : 0) * options.ramWeightMultiplier }))
    // Ties go to the lower id so plans are reproducible (Nova picks randomly among equals).
    .sort((a, b) => b.weight - a.weight || (a.host.id < b.host.id ? -1 : a.host.id > b.host.id ? 1 : 0));
  return { ranked, rejected };
}

export interface RejectSummary {
  readonly reason: RejectReason;
  readonly hostCount: number;
}

/** "No valid host": how many hosts each filter turned away, most frequent first. */
export function summariseRejections(rejected: readonly RejectedHost[]): RejectSummary[] {
  const counts = new Map<RejectReason, number>();
  for (const r of rejected) for (const reason of r.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts.entries()]
    .map(([reason, hostCount]) => ({ reason, hostCount }))
    .sort((a, b) => b.hostCount - a.hostCount || a.reason.localeCompare(b.reason));
}

/**
 * The host scheduleInstance would rank first, without building the ranking: min-max
 * normalisation keeps the order of free RAM, so the most free RAM wins (least with a negative multiplier).
 */
export function bestHost(
  request: PlacementRequest,
  hosts: Iterable<HostCapacity>,
  options: SchedulerOptions = DEFAULT_SCHEDULER_OPTIONS,
): HostCapacity | null {
  let best: HostCapacity | null = null;
  let bestScore = -Infinity;
  const sign = options.ramWeightMultiplier < 0 ? -1 : 1;
  for (const host of hosts) {
    if (hostRejectReasons(host, request, options).length > 0) continue;
    const score = sign * freeMemoryMiB(host, options);
    if (score > bestScore || (score === bestScore && best !== null && host.id < best.id)) {
      best = host;
      bestScore = score;
    }
  }
  return best;
}
