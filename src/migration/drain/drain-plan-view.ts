// Pure: the planner's DrainPlan as the operator sees it (host names, predicted figures, readable reasons).
import type { ConcurrencyLimits, DrainPlan, RejectSummary } from '../core';

export interface DrainMoveView {
  order: number;
  instanceId: string;
  instanceName: string;
  destinationHostId: string;
  destinationHostName: string;
  memoryMiB: number;
  predictedTimeSec: number;
  predictedDowntimeMs: number;
  converges: boolean;
  startSec: number;
  endSec: number;
}

export interface UnplaceableView {
  instanceId: string;
  instanceName: string;
  reason: string;
  rejections: RejectSummary[];
}

export interface DrainPlanView {
  hostId: string;
  hostName: string;
  moves: DrainMoveView[];
  unplaceable: UnplaceableView[];
  predictedMakespanSec: number;
  lowerBoundSec: number;
  ordering: string;
  limits: ConcurrencyLimits;
  /** Hosts that may not receive, and why (maintenance, agent down, not among the given destinations). */
  excludedDestinations: { hostId: string; hostName: string; reason: string }[];
}

export function describeRejections(rejections: readonly RejectSummary[]): string {
  if (rejections.length === 0) return 'no other host to receive it';
  return `no valid host: ${rejections.map((r) => `${r.reason} (${r.hostCount})`).join(', ')}`;
}

export function toDrainPlanView(
  plan: DrainPlan,
  source: { id: string; name: string },
  hostNames: ReadonlyMap<string, string>,
  excludedDestinations: DrainPlanView['excludedDestinations'],
): DrainPlanView {
  return {
    hostId: source.id,
    hostName: source.name,
    moves: plan.moves.map((m) => ({
      order: m.order,
      instanceId: m.instanceId,
      instanceName: m.instanceName,
      destinationHostId: m.destinationHostId,
      destinationHostName: hostNames.get(m.destinationHostId) ?? m.destinationHostId,
      memoryMiB: m.memoryMiB,
      predictedTimeSec: m.prediction.totalTimeSec,
      predictedDowntimeMs: m.prediction.downtimeMs,
      converges: m.prediction.converges,
      startSec: m.startSec,
      endSec: m.endSec,
    })),
    unplaceable: plan.unplaceable.map((u) => ({
      instanceId: u.instanceId,
      instanceName: u.instanceName,
      reason: describeRejections(u.reasons),
      rejections: [...u.reasons],
    })),
    predictedMakespanSec: plan.makespanSec,
    lowerBoundSec: plan.lowerBound.boundSec,
    ordering: plan.ordering,
    limits: plan.limits,
    excludedDestinations,
  };
}
