import { describe, expect, it } from 'vitest';
import { planRebalance, type HostCapacity, type InstanceLoad, type RebalanceRequest } from '../../../src/migration/core';
import { host, vm, withResidents } from './fixtures';

const NOW = 1_000_000_000;
const HOUR = 3_600_000;

/** RAM metric, 32 GiB hosts: a 4 GiB guest is 0.125 of a host. */
function fleet(extraHosts: HostCapacity[] = []) {
  const instances: InstanceLoad[] = [
    ...['a1', 'a2', 'a3', 'a4'].map((id) => vm(id, 'a', { memoryMiB: 4096, ramUtilisation: 1 })),
    vm('b1', 'b', { memoryMiB: 4096, ramUtilisation: 1 }),
  ];
  return { hosts: withResidents([host('a'), host('b'), host('c'), ...extraHosts], instances), instances };
}

function rebalance(overrides: Partial<RebalanceRequest> = {}, f = fleet()) {
  return planRebalance({
    ...f,
    metric: 'ram',
    goal: { kind: 'threshold', threshold: 0.4 },
    maxMigrations: 10,
    cooldownMs: HOUR,
    nowMs: NOW,
    ...overrides,
  });
}

describe('planRebalance', () => {
  it('moves load off a host above the threshold to the least loaded one, then stops at the goal', () => {
    const p = rebalance();
    expect(p.moves).toEqual([
      {
        instanceId: 'a1',
        instanceName: 'name-a1',
        sourceHostId: 'a',
        destinationHostId: 'c',
        reason: { kind: 'above-threshold', sourceUtilisation: 0.5, threshold: 0.4 },
        sourceUtilisationAfter: 0.375,
        destinationUtilisationAfter: 0.125,
      },
    ]);
    expect(p.stopReason).toBe('goal-met');
    expect(p.stddevAfter).toBeLessThan(p.stddevBefore);
  });

  it('reduces the stddev towards a target within the migration budget', () => {
    const unlimited = rebalance({ goal: { kind: 'stddev', targetStddev: 0 } });
    // 0.5 / 0.125 / 0 → 0.25 / 0.125 / 0.25 is the best 4 GiB steps allow.
    expect(unlimited.moves).toHaveLength(2);
    expect(unlimited.stopReason).toBe('no-improving-move');
    expect(unlimited.stddevAfter).toBeCloseTo(Math.sqrt(2 * (0.25 - 0.625 / 3) ** 2 + (0.125 - 0.625 / 3) ** 2) / Math.sqrt(3), 9);
    for (const m of unlimited.moves) {
      expect(m.reason.kind).toBe('reduce-stddev');
      if (m.reason.kind === 'reduce-stddev') expect(m.reason.stddevAfter).toBeLessThan(m.reason.stddevBefore);
    }
    const budget = rebalance({ goal: { kind: 'stddev', targetStddev: 0 }, maxMigrations: 1 });
    expect(budget.moves).toHaveLength(1);
    expect(budget.stopReason).toBe('max-migrations');
    const loose = rebalance({ goal: { kind: 'stddev', targetStddev: 0.5 } });
    expect(loose).toMatchObject({ moves: [], stopReason: 'goal-met' });
  });

  it.each([
    { why: 'within the cooldown: nothing moves', lastMigratedAt: NOW - HOUR + 1, moves: 0, held: 4 },
    { why: 'cooldown just over: moves again', lastMigratedAt: NOW - HOUR, moves: 1, held: 0 },
  ])('$why', ({ lastMigratedAt, moves, held }) => {
    const f = fleet();
    const instances = f.instances.map((i) => (i.hostId === 'a' ? { ...i, lastMigratedAt } : i));
    const p = rebalance({}, { hosts: f.hosts, instances });
    expect(p.moves).toHaveLength(moves);
    expect(p.inCooldownInstanceIds).toHaveLength(held);
    if (moves === 0) expect(p.stopReason).toBe('no-improving-move');
  });

  it('never fills a destination past the threshold', () => {
    const f = fleet();
    const hosts = f.hosts.map((h) => (h.id === 'c' ? { ...h, ramUtilisation: 0.35 } : h.id === 'b' ? { ...h, ramUtilisation: 0.3 } : h));
    const p = rebalance({}, { hosts, instances: f.instances });
    expect(p).toMatchObject({ moves: [], stopReason: 'no-improving-move' });
  });

  it('skips destinations without capacity and hosts that are not enabled with a live agent', () => {
    const f = fleet([host('maint', { state: 'maintenance' }), host('down', { agentUp: false })]);
    const hosts = f.hosts.map((h) => (h.id === 'c' ? { ...h, usedMemoryMiB: 30 * 1024, ramUtilisation: 0 } : h));
    const p = rebalance({}, { hosts, instances: f.instances });
    expect(p.moves.map((m) => m.destinationHostId)).toEqual(['b']);
  });

  it('balances CPU from measured host figures and per-instance utilisation', () => {
    const instances = [vm('hot', 'a', { vcpus: 8, cpuUtilisation: 0.5 }), vm('cold', 'a', { vcpus: 8, cpuUtilisation: 0.1 })];
    const hosts = withResidents([host('a', { cpuUtilisation: 0.9 }), host('b', { cpuUtilisation: 0.1 })], instances);
    const p = planRebalance({
      hosts,
      instances,
      metric: 'cpu',
      goal: { kind: 'threshold', threshold: 0.7 },
      maxMigrations: 5,
      cooldownMs: 0,
      nowMs: NOW,
    });
    // hot adds 8 × 0.5 / 16 = 0.25: 0.9 → 0.65 and 0.1 → 0.35, best variance and both under 0.7.
    expect(p.moves.map((m) => [m.instanceId, m.sourceUtilisationAfter, m.destinationUtilisationAfter])).toEqual([['hot', 0.65, 0.35]]);
    expect(p.stopReason).toBe('goal-met');
  });
});
