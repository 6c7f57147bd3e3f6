// Workload balancing (Watcher workload_balance / workload_stabilization) by greedy steepest descent.
import { CapacityLedger } from './capacity-ledger';
import { DEFAULT_SCHEDULER_OPTIONS, hostRejectReasons, type SchedulerOptions } from './scheduler';
import type { HostCapacity, InstanceLoad } from './types';
import { hostUtilisation, instanceContribution, type BalanceMetric } from './utilisation';

export type RebalanceGoal =
  /** Move load off every host above the threshold (workload_balance). */
  | { readonly kind: 'threshold'; readonly threshold: number }
  /** Reduce the stddev of host utilisation to the target (workload_stabilization). */
  | { readonly kind: 'stddev'; readonly targetStddev: number };

export interface RebalanceRequest {
  readonly hosts: readonly HostCapacity[];
  readonly instances: readonly InstanceLoad[];
  readonly metric: BalanceMetric;
  readonly goal: RebalanceGoal;
  readonly maxMigrations: number;
  /** Anti-flap: an instance migrated less than this long ago is never moved. */
  readonly cooldownMs: number;
  readonly nowMs: number;
  readonly scheduler?: Partial<SchedulerOptions>;
}

export type RebalanceReason =
  | { readonly kind: 'above-threshold'; readonly sourceUtilisation: number; readonly threshold: number }
  | { readonly kind: 'reduce-stddev'; readonly stddevBefore: number; readonly stddevAfter: number };

export interface RebalanceMove {
  readonly instanceId: string;
  readonly instanceName: string;
  readonly sourceHostId: string;
  readonly destinationHostId: string;
  readonly reason: RebalanceReason;
  readonly sourceUtilisationAfter: number;
  readonly destinationUtilisationAfter: number;
}

export type RebalanceStop = 'goal-met' | 'max-migrations' | 'no-improving-move';

export interface RebalancePlan {
  readonly moves: readonly RebalanceMove[];
  readonly stddevBefore: number;
  readonly stddevAfter: number;
  readonly stopReason: RebalanceStop;
  /** Instances that would have been candidates but were migrated within the cooldown. */
  readonly inCooldownInstanceIds: readonly string[];
}

interface Candidate {
  readonly instance: InstanceLoad;
  readonly destination: HostCapacity;
  readonly contributionOnSource: number;
  readonly contributionOnDestination: number;
  readonly varianceAfter: number;
}

/** Hosts that count: enabled with a live agent. Disabled and maintenance hosts are drain's business. */
function isActive(host: HostCapacity): boolean {
  return host.state === 'enabled' && host.agentUp;
}

class Balance {
  readonly util = new Map<string, number>();
  private sum = 0;
  private sumSq = 0;

  constructor(
    readonly hosts: readonly HostCapacity[],
    residents: Map<string, InstanceLoad[]>,
    metric: BalanceMetric,
  ) {
    for (const host of hosts) {
      const u = hostUtilisation(host, residents.get(host.id) ?? [], metric);
      this.util.set(host.id, u);
      this.sum += u;
      this.sumSq += u * u;
    }
  }

  variance(): number {
    const n = this.hosts.length;
    return n === 0 ? 0 : Math.max(0, this.sumSq / n - (this.sum / n) ** 2);
  }

  /** Variance if `from` lost cFrom and `to` gained cTo, in O(1). */
  varianceAfter(from: string, cFrom: number, to: string, cTo: number): number {
    const n = this.hosts.length;
    const uf = this.util.get(from) as number;
    const ut = this.util.get(to) as number;
    const sum = this.sum - cFrom + cTo;
    const sumSq = this.sumSq - uf * uf - ut * ut + (uf - cFrom) ** 2 + (ut + cTo) ** 2;
    return Math.max(0, sumSq / n - (sum / n) ** 2);
  }

  move(from: string, cFrom: number, to: string, cTo: number): void {
    for (const [id, delta] of [
      [from, -cFrom],
      [to, cTo],
    ] as const) {
      const u = this.util.get(id) as number;
      this.sumSq += (u + delta) ** 2 - u * u;
      this.sum += delta;
      this.util.set(id, u + delta);
    }
  }
}

function goalMet(goal: RebalanceGoal, balance: Balance): boolean {
  if (goal.kind === 'stddev') return Math.sqrt(balance.variance()) <= goal.targetStddev;
  for (const u of balance.util.values()) if (u > goal.threshold) return false;
  return true;
}

/** Sources to relieve, most loaded first: above the threshold, or above the mean for stddev goals. */
function sourcesInOrder(goal: RebalanceGoal, balance: Balance): string[] {
  const values = [...balance.util.values()];
  const floor = goal.kind === 'threshold' ? goal.threshold : values.reduce((a, b) => a + b, 0) / (values.length || 1);
  return [...balance.util.entries()]
    .filter(([, u]) => u > floor)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([id]) => id);
}

/**
 * Greedy: each step takes the most loaded eligible host and makes the single (instance, destination)
 * move that lowers the variance most; it stops at the goal, the migration budget, or when no move helps.
 * Each move strictly lowers the variance, so the plan never oscillates and always terminates.
 */
export function planRebalance(request: RebalanceRequest): RebalancePlan {
  const options = { ...DEFAULT_SCHEDULER_OPTIONS, ...request.scheduler };
  const active = request.hosts.filter(isActive);
  const activeIds = new Set(active.map((h) => h.id));
  const residents = new Map<string, InstanceLoad[]>();
  for (const instance of request.instances) {
    if (!activeIds.has(instance.hostId)) continue;
    const list = residents.get(instance.hostId) ?? [];
    list.push(instance);
    residents.set(instance.hostId, list);
  }
  const ledger = new CapacityLedger(active);
  const balance = new Balance(active, residents, request.metric);
  const stddevBefore = Math.sqrt(balance.variance());
  const inCooldown = new Set<string>();
  const moved = new Set<string>();
  const moves: RebalanceMove[] = [];
  let stopReason: RebalanceStop = 'no-improving-move';

  for (;;) {
    if (goalMet(request.goal, balance)) {
      stopReason = 'goal-met';
      break;
    }
    if (moves.length >= request.maxMigrations) {
      stopReason = 'max-migrations';
      break;
    }
    let chosen: { sourceId: string; candidate: Candidate } | null = null;
    for (const sourceId of sourcesInOrder(request.goal, balance)) {
      const candidate = bestMoveFrom(sourceId, residents.get(sourceId) ?? [], request, ledger, balance, options, moved, inCooldown);
      if (candidate) {
        chosen = { sourceId, candidate };
        break;
      }
    }
    if (!chosen) break;
    const { sourceId, candidate } = chosen;
    const { instance, destination } = candidate;
    const before = Math.sqrt(balance.variance());
    const sourceUtilisation = balance.util.get(sourceId) as number;
    balance.move(sourceId, candidate.contributionOnSource, destination.id, candidate.contributionOnDestination);
    ledger.claim({ hostId: destination.id, vcpus: instance.vcpus, memoryMiB: instance.memoryMiB });
    ledger.release({ hostId: sourceId, vcpus: instance.vcpus, memoryMiB: instance.memoryMiB });
    residents.set(
      sourceId,
      (residents.get(sourceId) ?? []).filter((i) => i.id !== instance.id),
    );
    residents.set(destination.id, [...(residents.get(destination.id) ?? []), { ...instance, hostId: destination.id }]);
    moved.add(instance.id);
    moves.push({
      instanceId: instance.id,
      instanceName: instance.name,
      sourceHostId: sourceId,
      destinationHostId: destination.id,
      reason:
        request.goal.kind === 'threshold'
          ? { kind: 'above-threshold', sourceUtilisation, threshold: request.goal.threshold }
          : { kind: 'reduce-stddev', stddevBefore: before, stddevAfter: Math.sqrt(balance.variance()) },
      sourceUtilisationAfter: balance.util.get(sourceId) as number,
      destinationUtilisationAfter: balance.util.get(destination.id) as number,
    });
  }
  return {
    moves,
    stddevBefore,
    stddevAfter: Math.sqrt(balance.variance()),
    stopReason,
    inCooldownInstanceIds: [...inCooldown].sort(),
  };
}

function bestMoveFrom(
  sourceId: string,
  residents: readonly InstanceLoad[],
  request: RebalanceRequest,
  ledger: CapacityLedger,
  balance: Balance,
  options: SchedulerOptions,
  moved: ReadonlySet<string>,
  inCooldown: Set<string>,
): Candidate | null {
  const source = ledger.get(sourceId) as HostCapacity;
  const current = balance.variance();
  let best: Candidate | null = null;
  for (const instance of residents) {
    if (moved.has(instance.id)) continue;
    if (instance.lastMigratedAt !== undefined && request.nowMs - instance.lastMigratedAt < request.cooldownMs) {
      inCooldown.add(instance.id);
      continue;
    }
    const cFrom = instanceContribution(instance, source, request.metric);
    for (const destination of ledger.hosts()) {
      if (destination.id === sourceId) continue;
      const cTo = instanceContribution(instance, destination, request.metric);
      const uTo = (balance.util.get(destination.id) as number) + cTo;
      if (request.goal.kind === 'threshold' && uTo > request.goal.threshold) continue;
      const varianceAfter = balance.varianceAfter(sourceId, cFrom, destination.id, cTo);
      // A relative epsilon keeps float noise from counting as improvement.
      if (varianceAfter >= current - 1e-12 || (best && varianceAfter >= best.varianceAfter)) continue;
      if (hostRejectReasons(destination, { instance }, options).length > 0) continue;
      best = { instance, destination, contributionOnSource: cFrom, contributionOnDestination: cTo, varianceAfter };
    }
  }
  return best;
}
