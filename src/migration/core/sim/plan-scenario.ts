// The planner scenario shared by bench:plan (1,000 hosts) and the unit checks (small fleets).
import type { ConcurrencyLimits } from '../concurrency';
import { planDrain, type DrainPlan } from '../drain-planner';
import { planRebalance, type RebalancePlan } from '../rebalance-planner';
import type { SchedulerOptions } from '../scheduler';
import type { InstanceLoad } from '../types';
import { seededRandom } from './prng';
import { syntheticFleet, type Fleet, type FleetSpec } from './synthetic-fleet';

export interface PlanScenarioSpec extends FleetSpec {
  readonly drainHostCount: number;
  readonly rebalanceMaxMigrations: number;
  readonly cooldownMs: number;
  /** Fraction of instances marked as migrated within the cooldown, to exercise anti-flap. */
  readonly recentlyMigratedFraction: number;
}

/** Nova's initial_cpu_allocation_ratio (4.0) and RAM ratio 1.0. */
export const SCENARIO_SCHEDULER: Partial<SchedulerOptions> = { cpuAllocationRatio: 4, ramAllocationRatio: 1 };
export const SCENARIO_NOW_MS = Date.UTC(2026, 0, 1);

export function scenarioFleet(spec: PlanScenarioSpec): Fleet {
  const fleet = syntheticFleet(spec);
  const random = seededRandom(spec.seed ^ 0x5eed);
  const instances = fleet.instances.map((i): InstanceLoad =>
    random() < spec.recentlyMigratedFraction ? { ...i, lastMigratedAt: SCENARIO_NOW_MS - spec.cooldownMs / 2 } : i,
  );
  return { hosts: fleet.hosts, instances };
}

/** Drains hosts spread evenly through the fleet, several at once. */
export function drainSourceIds(fleet: Fleet, count: number): string[] {
  const stride = Math.max(1, Math.floor(fleet.hosts.length / count));
  return fleet.hosts
    .filter((_, i) => i % stride === 0)
    .slice(0, count)
    .map((h) => h.id);
}

export function runDrain(fleet: Fleet, spec: PlanScenarioSpec, limits?: Partial<ConcurrencyLimits>): DrainPlan {
  return planDrain({
    sourceHostIds: drainSourceIds(fleet, spec.drainHostCount),
    hosts: fleet.hosts,
    instances: fleet.instances,
    scheduler: SCENARIO_SCHEDULER,
    maxDowntimeMs: 500,
    limits,
  });
}

export function runRebalance(fleet: Fleet, spec: PlanScenarioSpec): RebalancePlan {
  return planRebalance({
    hosts: fleet.hosts,
    instances: fleet.instances,
    metric: 'cpu',
    goal: { kind: 'stddev', targetStddev: 0 },
    maxMigrations: spec.rebalanceMaxMigrations,
    cooldownMs: spec.cooldownMs,
    nowMs: SCENARIO_NOW_MS,
    scheduler: SCENARIO_SCHEDULER,
  });
}
