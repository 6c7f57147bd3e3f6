import { describe, expect, it } from 'vitest';
import { planDrain, type DrainRequest, type HostCapacity, type InstanceLoad } from '../../../src/migration/core';
import { host, MiB, vm, withResidents } from './fixtures';

function plan(hosts: HostCapacity[], instances: InstanceLoad[], extra: Partial<DrainRequest> = {}) {
  return planDrain({ sourceHostIds: ['src'], hosts: withResidents(hosts, instances), instances, ...extra });
}

const destinationsOf = (p: ReturnType<typeof plan>) => Object.fromEntries(p.moves.map((m) => [m.instanceId, m.destinationHostId]));

describe('planDrain placement', () => {
  it('never targets a maintenance, disabled or agent-down host', () => {
    const instances = [vm('i1', 'src', { memoryMiB: 8192 }), vm('i2', 'src', { memoryMiB: 4096 }), vm('i3', 'src')];
    const p = plan(
      [
        host('src'),
        host('ok', { usedMemoryMiB: 8192 }),
        host('maint', { state: 'maintenance' }),
        host('dis', { state: 'disabled' }),
        host('down', { agentUp: false }),
      ],
      instances,
    );
    expect(destinationsOf(p)).toEqual({ i1: 'ok', i2: 'ok', i3: 'ok' });
    expect(p.unplaceable).toEqual([]);
  });

  it('counts moves already planned: two big guests that fit one host each are split, a third is reported', () => {
    const instances = [vm('i1', 'src', { memoryMiB: 8192 }), vm('i2', 'src', { memoryMiB: 8192 }), vm('i3', 'src', { memoryMiB: 8192 })];
    const tight = { memoryMiB: 10 * 1024 };
    const p = plan([host('src'), host('a', tight), host('b', tight), host('m', { state: 'maintenance' })], instances);
    expect(new Set(p.moves.map((m) => m.destinationHostId))).toEqual(new Set(['a', 'b']));
    expect(p.unplaceable).toEqual([
      {
        instanceId: 'i3',
        instanceName: 'name-i3',
        sourceHostId: 'src',
        reasons: [
          { reason: 'insufficient-ram', hostCount: 2 },
          { reason: 'maintenance', hostCount: 1 },
        ],
      },
    ]);
  });

  it('honours reservations and claims promised to migrations planned elsewhere', () => {
    const instances = [vm('i1', 'src', { memoryMiB: 8192 })];
    const hosts = [host('src'), host('a'), host('b', { reservedMemoryMiB: 20 * 1024 }), host('c', { usedMemoryMiB: 1024 })];
    expect(destinationsOf(plan(hosts, instances))).toEqual({ i1: 'a' });
    const claimed = plan(hosts, instances, { pendingClaims: [{ hostId: 'a', vcpus: 1, memoryMiB: 30 * 1024 }] });
    expect(destinationsOf(claimed)).toEqual({ i1: 'c' });
  });

  it('spreads load: each guest goes to the host with most free RAM after earlier moves', () => {
    const instances = ['i1', 'i2', 'i3', 'i4'].map((id) => vm(id, 'src', { memoryMiB: 4096 }));
    const p = plan([host('src'), host('a'), host('b')], instances);
    const counts = p.moves.reduce<Record<string, number>>(
      (acc, m) => ({ ...acc, [m.destinationHostId]: (acc[m.destinationHostId] ?? 0) + 1 }),
      {},
    );
    expect(counts).toEqual({ a: 2, b: 2 });
  });

  it('uses only the given backup hosts, and says why the others were not used', () => {
    const instances = [vm('i1', 'src', { memoryMiB: 4096 }), vm('i2', 'src', { memoryMiB: 30 * 1024 })];
    const p = plan([host('src'), host('a'), host('backup', { usedMemoryMiB: 16 * 1024 })], instances, { destinationHostIds: ['backup'] });
    expect(destinationsOf(p)).toEqual({ i1: 'backup' });
    expect(p.unplaceable[0].reasons).toEqual([
      { reason: 'excluded', hostCount: 1 },
      { reason: 'insufficient-ram', hostCount: 1 },
    ]);
  });

  it('drains several hosts at once without landing on any of them', () => {
    const instances = [vm('x1', 's1'), vm('x2', 's1'), vm('y1', 's2'), vm('y2', 's2')];
    // s2 is the emptiest host by far; it must still not receive anything.
    const hosts = withResidents([host('s1'), host('s2', { memoryMiB: 512 * 1024 }), host('a', { usedMemoryMiB: 1024 })], instances);
    const p = planDrain({ sourceHostIds: ['s1', 's2'], hosts, instances });
    expect(p.moves.map((m) => m.destinationHostId)).toEqual(['a', 'a', 'a', 'a']);
  });

  it('rejects an unknown source host', () => {
    expect(() => planDrain({ sourceHostIds: ['nope'], hosts: [host('a')], instances: [] })).toThrow(/unknown source host nope/);
  });
});

describe('planDrain timing', () => {
  it('shares the source bandwidth among its outbound slots, capped per migration', () => {
    const instances = [vm('i1', 'src', { memoryMiB: 1024 })];
    const hosts = [host('src', { migrationBandwidthBytesPerSec: 1000 * MiB }), host('a')];
    expect(plan(hosts, instances).moves[0].bandwidthBytesPerSec).toBe(500 * MiB);
    expect(plan(hosts, instances, { limits: { perOutboundHost: 4 } }).moves[0].bandwidthBytesPerSec).toBe(250 * MiB);
    expect(plan(hosts, instances, { bandwidthPerMigrationBytesPerSec: 100 * MiB }).moves[0].bandwidthBytesPerSec).toBe(100 * MiB);
  });

  it('predicts each move with the pre-copy model and schedules longest first', () => {
    const instances = [
      vm('small', 'src', { memoryMiB: 512 }),
      vm('big', 'src', { memoryMiB: 4096 }),
      vm('mid', 'src', { memoryMiB: 2048 }),
      vm('busy', 'src', { memoryMiB: 1024, dirtyRateBytesPerSec: 600 * MiB }),
    ];
    const hosts = [
      host('src', { migrationBandwidthBytesPerSec: 1024 * MiB }),
      host('a', { memoryMiB: 64 * 1024 }),
      host('b', { memoryMiB: 64 * 1024 }),
    ];
    const p = plan(hosts, instances, { maxDowntimeMs: 300, precopy: { setupSec: 1, switchoverFixedMs: 20 } });
    const byId = Object.fromEntries(p.moves.map((m) => [m.instanceId, m]));
    // 512 MiB/s per migration: 4096 MiB takes 8 s plus 1 s setup and a 20 ms switchover.
    expect(byId.big.prediction.totalTimeSec).toBeCloseTo(9.02, 9);
    expect(byId.big.prediction.downtimeMs).toBeCloseTo(20, 9);
    expect(byId.busy.prediction.converges).toBe(false);
    expect(p.moves.map((m) => m.order)).toEqual([0, 1, 2, 3]);
    // Longest first: big 9 s, then busy and mid 5 s each (tie by id), small last.
    expect(byId.busy.prediction.totalTimeSec).toBeCloseTo(5.02, 9);
    expect(p.moves.map((m) => m.instanceId)).toEqual(['big', 'busy', 'mid', 'small']);
    for (let i = 1; i < p.moves.length; i++) expect(p.moves[i].startSec).toBeGreaterThanOrEqual(p.moves[i - 1].startSec);
    for (const m of p.moves) expect(m.endSec - m.startSec).toBeCloseTo(m.prediction.totalTimeSec, 9);
    expect(p.makespanSec).toBeGreaterThanOrEqual(p.lowerBound.boundSec);
    expect(p.ramLowerBound.boundSec).toBeLessThanOrEqual(p.lowerBound.boundSec);
  });

  it('has a zero makespan when the host is already empty', () => {
    const p = plan([host('src'), host('a')], []);
    expect(p).toMatchObject({ moves: [], unplaceable: [], makespanSec: 0 });
  });
});
