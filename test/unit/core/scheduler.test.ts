import { describe, expect, it } from 'vitest';
import {
  bestHost,
  DEFAULT_SCHEDULER_OPTIONS,
  freeMemoryMiB,
  freeVcpus,
  hostRejectReasons,
  scheduleInstance,
  summariseRejections,
  type RejectReason,
} from '../../../src/migration/core';
import { host, vm } from './fixtures';

const instance = vm('i1', 'src', { vcpus: 4, memoryMiB: 8192 });

describe('hostRejectReasons', () => {
  it.each<{ why: string; h: ReturnType<typeof host>; exclude?: string[]; expected: RejectReason[]; inst?: typeof instance }>([
    { why: 'fits', h: host('a'), expected: [] },
    { why: 'source host', h: host('src'), expected: ['is-source'] },
    { why: 'excluded (another drained host)', h: host('a'), exclude: ['a'], expected: ['excluded'] },
    { why: 'disabled', h: host('a', { state: 'disabled' }), expected: ['disabled'] },
    { why: 'maintenance', h: host('a', { state: 'maintenance' }), expected: ['maintenance'] },
    { why: 'agent down', h: host('a', { agentUp: false }), expected: ['agent-down'] },
    { why: 'vCPUs used up', h: host('a', { usedVcpus: 13 }), expected: ['insufficient-vcpus'] },
    { why: 'vCPUs reserved', h: host('a', { reservedVcpus: 13 }), expected: ['insufficient-vcpus'] },
    { why: 'exactly enough vCPUs', h: host('a', { usedVcpus: 12 }), expected: [] },
    { why: 'RAM used up', h: host('a', { usedMemoryMiB: 24 * 1024 + 1 }), expected: ['insufficient-ram'] },
    { why: 'RAM reserved', h: host('a', { reservedMemoryMiB: 25 * 1024 }), expected: ['insufficient-ram'] },
    {
      why: 'missing a required CPU feature',
      h: host('a', { cpuFeatures: ['avx2'] }),
      inst: { ...instance, requiredCpuFeatures: ['avx2', 'avx512f'] },
      expected: ['cpu-incompatible'],
    },
    {
      why: 'has every required CPU feature',
      h: host('a', { cpuFeatures: ['avx2', 'avx512f', 'sse4_2'] }),
      inst: { ...instance, requiredCpuFeatures: ['avx2', 'avx512f'] },
      expected: [],
    },
    {
      why: 'all reasons at once',
      h: host('src', { state: 'maintenance', agentUp: false, usedVcpus: 16, usedMemoryMiB: 32 * 1024 }),
      exclude: ['src'],
      expected: ['is-source', 'excluded', 'maintenance', 'agent-down', 'insufficient-vcpus', 'insufficient-ram'],
    },
  ])('$why', ({ h, exclude, expected, inst }) => {
    expect(hostRejectReasons(h, { instance: inst ?? instance, excludeHostIds: new Set(exclude ?? []) })).toEqual(expected);
  });

  it('applies allocation ratios to capacity after reservations', () => {
    const h = host('a', { vcpus: 16, reservedVcpus: 2, usedVcpus: 50, memoryMiB: 1000, reservedMemoryMiB: 100, usedMemoryMiB: 800 });
    const options = { ...DEFAULT_SCHEDULER_OPTIONS, cpuAllocationRatio: 4, ramAllocationRatio: 1.5 };
    expect(freeVcpus(h, options)).toBe((16 - 2) * 4 - 50);
    expect(freeMemoryMiB(h, options)).toBe((1000 - 100) * 1.5 - 800);
    expect(hostRejectReasons(h, { instance }, DEFAULT_SCHEDULER_OPTIONS)).toEqual(['insufficient-vcpus', 'insufficient-ram']);
  });
});

describe('scheduleInstance', () => {
  const hosts = [
    host('a', { usedMemoryMiB: 16 * 1024 }),
    host('b', { usedMemoryMiB: 4 * 1024 }),
    host('c', { usedMemoryMiB: 10 * 1024 }),
    host('d', { state: 'maintenance' }),
    host('e', { agentUp: false }),
    host('src'),
  ];

  it('ranks passing hosts by free RAM with Nova’s min-max weights, and explains the rest', () => {
    const { ranked, rejected } = scheduleInstance({ instance }, hosts);
    expect(ranked.map((r) => [r.host.id, r.weight])).toEqual([
      ['b', 1],
      ['c', 0.5],
      ['a', 0],
    ]);
    expect(rejected).toEqual([
      { hostId: 'd', hostName: 'name-d', reasons: ['maintenance'] },
      { hostId: 'e', hostName: 'name-e', reasons: ['agent-down'] },
      { hostId: 'src', hostName: 'name-src', reasons: ['is-source'] },
    ]);
    expect(bestHost({ instance }, hosts)?.id).toBe('b');
  });

  it('stacks with a negative multiplier, and bestHost agrees', () => {
    const options = { ...DEFAULT_SCHEDULER_OPTIONS, ramWeightMultiplier: -1 };
    expect(scheduleInstance({ instance }, hosts, options).ranked[0].host.id).toBe('a');
    expect(bestHost({ instance }, hosts, options)?.id).toBe('a');
  });

  it('breaks ties by host id and gives equal hosts weight 0', () => {
    const { ranked } = scheduleInstance({ instance }, [host('z'), host('m')]);
    expect(ranked.map((r) => [r.host.id, r.weight])).toEqual([
      ['m', 0],
      ['z', 0],
    ]);
    expect(bestHost({ instance }, [host('z'), host('m')])?.id).toBe('m');
  });

  it('returns no host and a summary when nothing fits', () => {
    const full = [host('a', { usedMemoryMiB: 30 * 1024 }), host('b', { usedMemoryMiB: 30 * 1024, agentUp: false }), host('src')];
    const result = scheduleInstance({ instance }, full);
    expect(result.ranked).toEqual([]);
    expect(bestHost({ instance }, full)).toBeNull();
    expect(summariseRejections(result.rejected)).toEqual([
      { reason: 'insufficient-ram', hostCount: 2 },
      { reason: 'agent-down', hostCount: 1 },
      { reason: 'is-source', hostCount: 1 },
    ]);
  });
});
