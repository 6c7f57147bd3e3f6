import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONCURRENCY_LIMITS,
  JOB_ORDERINGS,
  longestFirst,
  mostWorkRemaining,
  runDrain,
  scenarioFleet,
  simulateSchedule,
  type MigrationJob,
  type PlanScenarioSpec,
} from '../../../src/migration/core';

const job = (id: string, sourceHostId: string, durationSec: number): MigrationJob => ({
  id,
  sourceHostId,
  destinationHostId: `d-${id}`,
  durationSec,
});
const jobs = [
  job('a1', 'a', 3),
  job('a2', 'a', 3),
  job('a3', 'a', 3),
  job('a4', 'a', 3),
  job('b1', 'b', 8),
  job('c1', 'c', 2),
  job('c2', 'c', 8),
];
const ids = (list: MigrationJob[]) => list.map((j) => j.id);

describe('job orderings', () => {
  it('longest-first sorts by duration, ties by id', () => {
    expect(ids(longestFirst(jobs))).toEqual(['b1', 'c2', 'a1', 'a2', 'a3', 'a4', 'c1']);
  });

  it('most-work-remaining keys each job by its source’s work from that job on', () => {
    // a: 12, 9, 6, 3; b: 8; c: 10 (c2), 2 (c1).
    expect(ids(mostWorkRemaining(jobs))).toEqual(['a1', 'c2', 'a2', 'b1', 'a3', 'a4', 'c1']);
  });

  it('keeps every job exactly once', () => {
    for (const order of Object.values(JOB_ORDERINGS)) expect(ids(order(jobs)).sort()).toEqual(ids(jobs).sort());
  });
});

describe('drain ordering choice', () => {
  const spec: PlanScenarioSpec = {
    seed: 7,
    hostCount: 50,
    vmsPerHost: 10,
    drainHostCount: 5,
    rebalanceMaxMigrations: 0,
    cooldownMs: 0,
    recentlyMigratedFraction: 0,
  };

  it('keeps the shortest of the simulated orders', () => {
    const plan = runDrain(scenarioFleet(spec), spec);
    const planJobs = plan.moves.map((m) => ({
      id: m.instanceId,
      sourceHostId: m.sourceHostId,
      destinationHostId: m.destinationHostId,
      durationSec: m.prediction.totalTimeSec,
    }));
    const makespans = Object.values(JOB_ORDERINGS).map(
      (order) => simulateSchedule(order(planJobs), DEFAULT_CONCURRENCY_LIMITS).makespanSec,
    );
    expect(plan.makespanSec).toBe(Math.min(...makespans));
    expect(simulateSchedule(JOB_ORDERINGS[plan.ordering](planJobs), DEFAULT_CONCURRENCY_LIMITS).makespanSec).toBe(plan.makespanSec);
  });
});
