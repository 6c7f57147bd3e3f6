import { describe, expect, it } from 'vitest';
import type { HostCapacity, InstanceLoad } from '../../../src/migration/core';
import { plannerGoal, runInputs } from '../../../src/migration/rebalance/rebalance-inputs';

const host = (id: string, vcpus: number, memoryMiB: number): HostCapacity => ({
  id,
  name: id,
  vcpus,
  memoryMiB,
  state: 'enabled',
  agentUp: true,
  migrationBandwidthBytesPerSec: 1e9,
  usedVcpus: 0,
  usedMemoryMiB: 0,
  reservedVcpus: 0,
  reservedMemoryMiB: 0,
});
const vm = (id: string, hostId: string, vcpus: number, memoryMiB: number, lastMigratedAt?: number): InstanceLoad => ({
  id,
  name: id,
  hostId,
  vcpus,
  memoryMiB,
  dirtyRateBytesPerSec: 0,
  ...(lastMigratedAt === undefined ? {} : { lastMigratedAt }),
});

describe('plannerGoal', () => {
  it.each([
    [
      { kind: 'threshold', value: 0.7 },
      { kind: 'threshold', threshold: 0.7 },
    ],
    [
      { kind: 'stddev', value: 0.05 },
      { kind: 'stddev', targetStddev: 0.05 },
    ],
  ] as const)('%j → %j', (goal, expected) => {
    expect(plannerGoal(goal)).toEqual(expected);
  });
});

describe('runInputs (allocation-based estimate)', () => {
  const hosts = [host('h1', 8, 8192), host('h2', 16, 4096)];
  const instances = [vm('a', 'h1', 2, 2048), vm('b', 'h1', 4, 1024, Date.UTC(2026, 0, 2)), vm('c', 'h2', 4, 1024)];

  it.each([
    ['ram', { h1: 3072 / 8192, h2: 1024 / 4096 }],
    ['cpu', { h1: 6 / 8, h2: 4 / 16 }],
  ] as const)('%s utilisation is allocated over capacity', (metric, expected) => {
    const inputs = runInputs(hosts, instances, metric, []);
    expect(inputs.utilisationSource).toBe('allocation-estimate');
    expect(Object.fromEntries(inputs.hosts.map((h) => [h.hostId, h.utilisation]))).toEqual(expected);
  });

  it('records every instance considered with its last migration, and those cooling down', () => {
    const inputs = runInputs(hosts, instances, 'ram', ['b']);
    expect(inputs.instances.map((i) => [i.instanceId, i.lastMigratedAt])).toEqual([
      ['a', null],
      ['b', '2026-01-02T00:00:00.000Z'],
      ['c', null],
    ]);
    expect(inputs.inCooldownInstanceIds).toEqual(['b']);
  });
});
