// The bench:plan simulation at small size, as correctness checks (no timing).
import { describe, expect, it } from 'vitest';
import {
  drainSourceIds,
  freeMemoryMiB,
  freeVcpus,
  runDrain,
  runRebalance,
  SCENARIO_NOW_MS,
  SCENARIO_SCHEDULER,
  DEFAULT_SCHEDULER_OPTIONS,
  scenarioFleet,
  syntheticFleet,
  type PlanScenarioSpec,
} from '../../../src/migration/core';

const SPEC: PlanScenarioSpec = {
  seed: 7,
  hostCount: 50,
  vmsPerHost: 10,
  drainHostCount: 5,
  rebalanceMaxMigrations: 20,
  cooldownMs: 3_600_000,
  recentlyMigratedFraction: 0.2,
};

describe('planner scenario, 50 hosts × 10 VMs', () => {
  const fleet = scenarioFleet(SPEC);

  it('generates the same fleet for the same seed and a different one otherwise', () => {
    expect(syntheticFleet(SPEC)).toEqual(syntheticFleet(SPEC));
    expect(syntheticFleet({ ...SPEC, seed: 8 }).instances[0]).not.toEqual(syntheticFleet(SPEC).instances[0]);
    expect(fleet.hosts).toHaveLength(50);
    expect(fleet.instances).toHaveLength(500);
  });

  it.each([{ perCluster: 5 }, { perCluster: 10 }])(
    'drains 5 hosts within 1.15× the RAM/bandwidth bound ($perCluster per cluster)',
    (limits) => {
      const plan = runDrain(fleet, SPEC, limits);
      const sources = new Set(drainSourceIds(fleet, SPEC.drainHostCount));
      const leaving = fleet.instances
        .filter((i) => sources.has(i.hostId))
        .map((i) => i.id)
        .sort();
      // Every instance is either moved or reported.
      expect([...plan.moves.map((m) => m.instanceId), ...plan.unplaceable.map((u) => u.instanceId)].sort()).toEqual(leaving);
      expect(plan.moves.length).toBeGreaterThan(0);
      for (const m of plan.moves) expect(sources.has(m.destinationHostId)).toBe(false);
      expect(plan.makespanSec).toBeGreaterThanOrEqual(plan.lowerBound.boundSec);
      expect(plan.makespanSec / plan.ramLowerBound.boundSec).toBeLessThanOrEqual(1.15);
    },
  );

  it('never overcommits a destination once all drain moves land', () => {
    const plan = runDrain(fleet, SPEC);
    const byId = new Map(fleet.instances.map((i) => [i.id, i]));
    const options = { ...DEFAULT_SCHEDULER_OPTIONS, ...SCENARIO_SCHEDULER };
    for (const h of fleet.hosts) {
      const incoming = plan.moves.filter((m) => m.destinationHostId === h.id).map((m) => byId.get(m.instanceId));
      const after = {
        ...h,
        usedVcpus: h.usedVcpus + incoming.reduce((s, i) => s + (i?.vcpus ?? 0), 0),
        usedMemoryMiB: h.usedMemoryMiB + incoming.reduce((s, i) => s + (i?.memoryMiB ?? 0), 0),
      };
      expect(freeVcpus(after, options)).toBeGreaterThanOrEqual(0);
      expect(freeMemoryMiB(after, options)).toBeGreaterThanOrEqual(0);
    }
  });

  it('rebalancing lowers the stddev and honours the cooldown', () => {
    const plan = runRebalance(fleet, SPEC);
    expect(plan.moves.length).toBeGreaterThan(0);
    expect(plan.moves.length).toBeLessThanOrEqual(SPEC.rebalanceMaxMigrations);
    expect(plan.stddevAfter).toBeLessThan(plan.stddevBefore);
    const recent = new Set(
      fleet.instances
        .filter((i) => i.lastMigratedAt !== undefined && SCENARIO_NOW_MS - i.lastMigratedAt < SPEC.cooldownMs)
        .map((i) => i.id),
    );
    expect(recent.size).toBeGreaterThan(0);
    expect(plan.inCooldownInstanceIds.length).toBeGreaterThan(0);
    for (const id of plan.inCooldownInstanceIds) expect(recent.has(id)).toBe(true);
    for (const m of plan.moves) expect(recent.has(m.instanceId)).toBe(false);
    // No instance moves twice in one run (anti-flap within the run).
    expect(new Set(plan.moves.map((m) => m.instanceId)).size).toBe(plan.moves.length);
  });
});
