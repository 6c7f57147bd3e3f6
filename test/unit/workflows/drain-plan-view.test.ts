import { describe, expect, it } from 'vitest';
import { planDrain, type HostCapacity, type InstanceLoad } from '../../../src/migration/core';
import { describeRejections, toDrainPlanView } from '../../../src/migration/drain/drain-plan-view';

const host = (id: string, extra: Partial<HostCapacity> = {}): HostCapacity => ({
  id,
  name: `host-${id}`,
  vcpus: 16,
  memoryMiB: 16384,
  state: 'enabled',
  agentUp: true,
  migrationBandwidthBytesPerSec: 1.25e9,
  usedVcpus: 0,
  usedMemoryMiB: 0,
  reservedVcpus: 0,
  reservedMemoryMiB: 0,
  ...extra,
});
const vm = (id: string, memoryMiB: number, hostId = 'src'): InstanceLoad => ({
  id,
  name: `vm-${id}`,
  hostId,
  vcpus: 1,
  memoryMiB,
  dirtyRateBytesPerSec: 0,
});

describe('describeRejections', () => {
  it.each([
    [[], 'no other host to receive it'],
    [[{ reason: 'insufficient-ram', hostCount: 2 }], 'no valid host: insufficient-ram (2)'],
    [
      [
        { reason: 'maintenance', hostCount: 1 },
        { reason: 'agent-down', hostCount: 1 },
      ],
      'no valid host: maintenance (1), agent-down (1)',
    ],
  ] as const)('%j → %s', (rejections, text) => {
    expect(describeRejections(rejections)).toBe(text);
  });
});

describe('toDrainPlanView', () => {
  const hosts = [
    host('src', { usedMemoryMiB: 2048 + 20000 }),
    host('a'),
    host('m', { state: 'maintenance' }),
    host('d', { agentUp: false }),
  ];
  const instances = [vm('small', 2048), vm('huge', 20000)];
  const plan = planDrain({ sourceHostIds: ['src'], hosts, instances });
  const view = toDrainPlanView(plan, { id: 'src', name: 'host-src' }, new Map(hosts.map((h) => [h.id, h.name])), [
    { hostId: 'm', hostName: 'host-m', reason: 'host is maintenance' },
  ]);

  it('names destinations and carries the predicted time and downtime of each move', () => {
    expect(view.moves).toEqual([
      expect.objectContaining({
        order: 0,
        instanceId: 'small',
        destinationHostId: 'a',
        destinationHostName: 'host-a',
        memoryMiB: 2048,
        converges: true,
      }),
    ]);
    expect(view.moves[0].predictedTimeSec).toBe(plan.moves[0].prediction.totalTimeSec);
    expect(view.moves[0].predictedDowntimeMs).toBe(plan.moves[0].prediction.downtimeMs);
    expect(view.predictedMakespanSec).toBe(plan.makespanSec);
    expect(view.lowerBoundSec).toBe(plan.lowerBound.boundSec);
  });

  it('keeps each unplaceable instance with a readable reason and the counts behind it', () => {
    expect(view.unplaceable).toEqual([
      {
        instanceId: 'huge',
        instanceName: 'vm-huge',
        // 20000 MiB fits no 16 GiB host; m and d are also turned away for their state.
        reason: 'no valid host: insufficient-ram (3), agent-down (1), maintenance (1)',
        rejections: [
          { reason: 'insufficient-ram', hostCount: 3 },
          { reason: 'agent-down', hostCount: 1 },
          { reason: 'maintenance', hostCount: 1 },
        ],
      },
    ]);
    expect(view.excludedDestinations).toEqual([{ hostId: 'm', hostName: 'host-m', reason: 'host is maintenance' }]);
  });
});
