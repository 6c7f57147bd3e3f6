import type { HostCapacity, InstanceLoad } from '../../../src/migration/core';

export const MiB = 1024 ** 2;

/** A 16 vCPU / 32 GiB host, empty, enabled, 1 GiB/s for migrations. */
export function host(id: string, overrides: Partial<HostCapacity> = {}): HostCapacity {
  return {
    id,
    name: `name-${id}`,
    vcpus: 16,
    memoryMiB: 32 * 1024,
    state: 'enabled',
    agentUp: true,
    migrationBandwidthBytesPerSec: 1024 * MiB,
    usedVcpus: 0,
    usedMemoryMiB: 0,
    reservedVcpus: 0,
    reservedMemoryMiB: 0,
    ...overrides,
  };
}

export function vm(id: string, hostId: string, overrides: Partial<InstanceLoad> = {}): InstanceLoad {
  return { id, name: `name-${id}`, hostId, vcpus: 1, memoryMiB: 1024, dirtyRateBytesPerSec: 0, ...overrides };
}

/** Hosts with usage that includes the given instances. */
export function withResidents(hosts: HostCapacity[], instances: InstanceLoad[]): HostCapacity[] {
  return hosts.map((h) => {
    const mine = instances.filter((i) => i.hostId === h.id);
    return {
      ...h,
      usedVcpus: h.usedVcpus + mine.reduce((s, i) => s + i.vcpus, 0),
      usedMemoryMiB: h.usedMemoryMiB + mine.reduce((s, i) => s + i.memoryMiB, 0),
    };
  });
}
