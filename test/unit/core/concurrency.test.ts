import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONCURRENCY_LIMITS,
  makespanLowerBound,
  resolveLimits,
  simulateSchedule,
  type ConcurrencyLimits,
  type JobSlot,
  type MigrationJob,
} from '../../../src/migration/core';

const job = (id: string, sourceHostId: string, destinationHostId: string, durationSec: number): MigrationJob => ({
  id,
  sourceHostId,
  destinationHostId,
  durationSec,
});

/** Largest number of overlapping slots sharing a key, checked at every start instant. */
function peak(slots: readonly JobSlot[], jobs: readonly MigrationJob[], key: (j: MigrationJob) => string): number {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  let max = 0;
  for (const s of slots) {
    const counts = new Map<string, number>();
    for (const o of slots) {
      if (o.startSec <= s.startSec && o.endSec > s.startSec) {
        const k = key(byId.get(o.id) as MigrationJob);
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
    }
    max = Math.max(max, ...counts.values());
  }
  return max;
}

describe('simulateSchedule', () => {
  it.each<{ why: string; jobs: MigrationJob[]; limits: ConcurrencyLimits; makespanSec: number }>([
    {
      why: 'three jobs off one host, two outbound slots',
      jobs: [job('a', 's', 'd1', 10), job('b', 's', 'd2', 10), job('c', 's', 'd3', 10)],
      limits: DEFAULT_CONCURRENCY_LIMITS,
      makespanSec: 20,
    },
    {
      why: 'inbound limit 1 serialises jobs into one host',
      jobs: [job('a', 's1', 'd', 5), job('b', 's2', 'd', 5)],
      limits: { perCluster: 5, perOutboundHost: 2, perInboundHost: 1 },
      makespanSec: 10,
    },
    {
      why: 'cluster limit 1 serialises everything',
      jobs: [job('a', 's1', 'd1', 3), job('b', 's2', 'd2', 4)],
      limits: { perCluster: 1, perOutboundHost: 2, perInboundHost: 2 },
      makespanSec: 7,
    },
    {
      why: 'a blocked job does not hold back the ones behind it',
      jobs: [job('a', 's', 'd1', 10), job('b', 's', 'd2', 10), job('c', 's', 'd3', 1), job('d', 't', 'd4', 1)],
      limits: { perCluster: 5, perOutboundHost: 2, perInboundHost: 2 },
      makespanSec: 11,
    },
    { why: 'nothing to do', jobs: [], limits: DEFAULT_CONCURRENCY_LIMITS, makespanSec: 0 },
  ])('$why', ({ jobs, limits, makespanSec }) => {
    const result = simulateSchedule(jobs, limits);
    expect(result.makespanSec).toBe(makespanSec);
    expect(result.slots).toHaveLength(jobs.length);
    if (jobs.length > 0) {
      expect(peak(result.slots, jobs, () => 'cluster')).toBeLessThanOrEqual(limits.perCluster);
      expect(peak(result.slots, jobs, (j) => j.sourceHostId)).toBeLessThanOrEqual(limits.perOutboundHost);
      expect(peak(result.slots, jobs, (j) => j.destinationHostId)).toBeLessThanOrEqual(limits.perInboundHost);
    }
  });

  it('starts the blocked job as soon as its source frees up', () => {
    const jobs = [job('a', 's', 'd1', 10), job('b', 's', 'd2', 4), job('c', 's', 'd3', 1)];
    const { slots } = simulateSchedule(jobs, DEFAULT_CONCURRENCY_LIMITS);
    expect(slots).toEqual([
      { id: 'a', startSec: 0, endSec: 10 },
      { id: 'b', startSec: 0, endSec: 4 },
      { id: 'c', startSec: 4, endSec: 5 },
    ]);
  });
});

describe('makespanLowerBound', () => {
  it('takes the largest of source, destination, cluster and longest-job bounds', () => {
    const jobs = [job('a', 's1', 'd1', 10), job('b', 's1', 'd2', 10), job('c', 's1', 'd1', 10), job('d', 's2', 'd1', 30)];
    const bound = makespanLowerBound(jobs, { perCluster: 2, perOutboundHost: 2, perInboundHost: 1 });
    expect(bound).toEqual({ boundSec: 50, bySourceSec: 15, byDestinationSec: 50, byClusterSec: 30, longestJobSec: 30 });
  });

  it('is 0 with no jobs', () => {
    expect(makespanLowerBound([], DEFAULT_CONCURRENCY_LIMITS).boundSec).toBe(0);
  });
});

describe('resolveLimits', () => {
  it('defaults to KubeVirt’s 5 per cluster and 2 per host', () => {
    expect(resolveLimits()).toEqual({ perCluster: 5, perOutboundHost: 2, perInboundHost: 2 });
    expect(resolveLimits({ perCluster: 10 })).toEqual({ perCluster: 10, perOutboundHost: 2, perInboundHost: 2 });
  });

  it.each([{ perCluster: 0 }, { perOutboundHost: 1.5 }, { perInboundHost: -1 }])('rejects %o', (bad) => {
    expect(() => resolveLimits(bad)).toThrow(RangeError);
  });
});
