// bench:plan — planner cost and plan quality on a 1,000-host × 30-VM synthetic cloud, in one run.
import { performance } from 'node:perf_hooks';
import {
  runDrain,
  runRebalance,
  scenarioFleet,
  simulateSchedule,
  type DrainPlan,
  type MigrationJob,
  type PlanScenarioSpec,
} from '../src/migration/core';

const SPEC: PlanScenarioSpec = {
  seed: 20261122,
  hostCount: 1000,
  vmsPerHost: 30,
  drainHostCount: 10,
  rebalanceMaxMigrations: 50,
  cooldownMs: 60 * 60 * 1000,
  recentlyMigratedFraction: 0.1,
};
const RUNS = 5;
const MAKESPAN_GOAL = 1.15;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median of RUNS timings after one warm-up, so JIT compilation is not counted. */
function timeMs<T>(fn: () => T): { result: T; medianMs: number } {
  let result = fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    result = fn();
    samples.push(performance.now() - start);
  }
  return { result, medianMs: median(samples) };
}

const fmt = (n: number, digits = 2): string => n.toFixed(digits);

/** The same moves started in instance-id order (source by source), for contrast with the planner's order. */
function naiveMakespanSec(plan: DrainPlan): number {
  const jobs: MigrationJob[] = plan.moves
    .map((m) => ({
      id: m.instanceId,
      sourceHostId: m.sourceHostId,
      destinationHostId: m.destinationHostId,
      durationSec: m.prediction.totalTimeSec,
    }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  return simulateSchedule(jobs, plan.limits).makespanSec;
}

function main(): void {
  const fleet = scenarioFleet(SPEC);
  console.log(`fleet: ${fleet.hosts.length} hosts, ${fleet.instances.length} instances (seed ${SPEC.seed})`);

  const drain = timeMs(() => runDrain(fleet, SPEC));
  const plan = drain.result;
  const ratio = plan.makespanSec / plan.ramLowerBound.boundSec;
  const scheduling = plan.makespanSec / plan.lowerBound.boundSec;
  const nonConverging = plan.moves.filter((m) => !m.prediction.converges).length;
  console.log(`drain ${SPEC.drainHostCount} hosts: planning ${fmt(drain.medianMs, 1)} ms (median of ${RUNS})`);
  console.log(`  moves ${plan.moves.length}, unplaceable ${plan.unplaceable.length}, non-converging ${nonConverging}`);
  const downtimes = plan.moves.map((m) => m.prediction.downtimeMs).sort((a, b) => a - b);
  const pct = (q: number): number => downtimes[Math.min(downtimes.length - 1, Math.floor(q * downtimes.length))] ?? 0;
  console.log(
    `  predicted downtime median ${fmt(pct(0.5), 1)} ms, p99 ${fmt(pct(0.99), 1)} ms, max ${fmt(downtimes[downtimes.length - 1] ?? 0, 1)} ms ` +
      `(max downtime 500 ms)`,
  );
  console.log(`  limits cluster ${plan.limits.perCluster}, outbound ${plan.limits.perOutboundHost}, inbound ${plan.limits.perInboundHost}`);
  console.log(
    `  makespan ${fmt(plan.makespanSec, 1)} s; RAM/bandwidth lower bound ${fmt(plan.ramLowerBound.boundSec, 1)} s ` +
      `(source ${fmt(plan.ramLowerBound.bySourceSec, 1)}, destination ${fmt(plan.ramLowerBound.byDestinationSec, 1)}, ` +
      `cluster ${fmt(plan.ramLowerBound.byClusterSec, 1)})`,
  );
  console.log(
    `  makespan / RAM bound = ${fmt(ratio, 3)} (goal <= ${MAKESPAN_GOAL}) ${ratio <= MAKESPAN_GOAL ? 'OK' : 'MISSED'}; ` +
      `order ${plan.ordering}; naive instance-id order would give ${fmt(naiveMakespanSec(plan) / plan.ramLowerBound.boundSec, 3)}`,
  );
  console.log(
    `  makespan / bound on predicted migration times (dirty pages included) = ${fmt(scheduling, 3)} ` +
      `(bound ${fmt(plan.lowerBound.boundSec, 1)} s)`,
  );

  // With more cluster slots than the draining hosts' outbound slots, the sources become the bottleneck.
  const wide = runDrain(fleet, SPEC, { perCluster: 2 * SPEC.drainHostCount });
  const wideRatio = wide.makespanSec / wide.ramLowerBound.boundSec;
  console.log(
    `  with perCluster ${wide.limits.perCluster}: makespan ${fmt(wide.makespanSec, 1)} s, RAM bound ${fmt(wide.ramLowerBound.boundSec, 1)} s ` +
      `(source ${fmt(wide.ramLowerBound.bySourceSec, 1)}), ratio ${fmt(wideRatio, 3)} ${wideRatio <= MAKESPAN_GOAL ? 'OK' : 'MISSED'}; ` +
      `order ${wide.ordering}; naive ${fmt(naiveMakespanSec(wide) / wide.ramLowerBound.boundSec, 3)}`,
  );

  const rebalance = timeMs(() => runRebalance(fleet, SPEC));
  const rb = rebalance.result;
  console.log(`rebalance (cpu, stddev goal): planning ${fmt(rebalance.medianMs, 1)} ms (median of ${RUNS})`);
  console.log(
    `  stddev ${fmt(rb.stddevBefore, 4)} -> ${fmt(rb.stddevAfter, 4)} ` +
      `(${fmt((1 - rb.stddevAfter / rb.stddevBefore) * 100, 1)} % lower) with ${rb.moves.length} migrations ` +
      `(budget ${SPEC.rebalanceMaxMigrations}, stop: ${rb.stopReason})`,
  );
  const cooled = new Set(rb.inCooldownInstanceIds);
  const violations = rb.moves.filter((m) => cooled.has(m.instanceId)).length;
  console.log(`  instances held by cooldown ${cooled.size}, moved despite cooldown ${violations}`);
  if (ratio > MAKESPAN_GOAL || wideRatio > MAKESPAN_GOAL || violations > 0 || !(rb.stddevAfter < rb.stddevBefore)) process.exitCode = 1;
}

main();
