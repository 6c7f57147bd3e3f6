// A deterministic synthetic cloud for planner benchmarks and their correctness checks.
import type { HostCapacity, InstanceLoad } from '../types';
import { MiB } from '../units';
import { pickWeighted, seededRandom, uniform, type Random } from './prng';

interface Flavor {
  readonly name: string;
  readonly vcpus: number;
  readonly memoryMiB: number;
}

/** DevStack m1.* flavors plus the lab's 256/512 MiB guests; weights favour the small ones, as clouds do. */
export const SIM_FLAVORS: readonly (readonly [Flavor, number])[] = [
  [{ name: 'm1.nano', vcpus: 1, memoryMiB: 64 }, 5],
  [{ name: 'm1.micro', vcpus: 1, memoryMiB: 128 }, 5],
  [{ name: 'lab.256', vcpus: 1, memoryMiB: 256 }, 10],
  [{ name: 'lab.512', vcpus: 1, memoryMiB: 512 }, 10],
  [{ name: 'm1.tiny', vcpus: 1, memoryMiB: 512 }, 15],
  [{ name: 'm1.small', vcpus: 1, memoryMiB: 2048 }, 25],
  [{ name: 'm1.medium', vcpus: 2, memoryMiB: 4096 }, 20],
  [{ name: 'm1.large', vcpus: 4, memoryMiB: 8192 }, 10],
];

type Activity = 'idle' | 'moderate' | 'busy';
const ACTIVITY: readonly (readonly [Activity, number])[] = [
  ['idle', 60],
  ['moderate', 30],
  ['busy', 10],
];

export interface FleetSpec {
  readonly seed: number;
  readonly hostCount: number;
  readonly vmsPerHost: number;
  /** Fraction of hosts on the faster migration network. */
  readonly fastLinkFraction?: number;
}

export interface Fleet {
  readonly hosts: HostCapacity[];
  readonly instances: InstanceLoad[];
}

/** Dirty rate and working set by activity; busy guests rewrite up to 1 GiB at up to 200 MiB/s. */
function dirtying(random: Random, activity: Activity, memoryMiB: number): { rate: number; wss: number } {
  const ramBytes = memoryMiB * MiB;
  switch (activity) {
    case 'idle':
      return { rate: uniform(random, 0.05, 1) * MiB, wss: Math.min(ramBytes, 16 * MiB) };
    case 'moderate':
      return { rate: uniform(random, 5, 40) * MiB, wss: Math.min(ramBytes, uniform(random, 32, 256) * MiB) };
    case 'busy':
      return { rate: uniform(random, 80, 200) * MiB, wss: Math.min(ramBytes, uniform(random, 256, 1024) * MiB) };
  }
}

function makeInstance(random: Random, id: string, hostId: string): InstanceLoad {
  const flavor = pickWeighted(random, SIM_FLAVORS);
  const activity = pickWeighted(random, ACTIVITY);
  const { rate, wss } = dirtying(random, activity, flavor.memoryMiB);
  const cpuBase = activity === 'idle' ? 0.05 : activity === 'moderate' ? 0.4 : 0.85;
  return {
    id,
    name: `${flavor.name}-${id}`,
    hostId,
    vcpus: flavor.vcpus,
    memoryMiB: flavor.memoryMiB,
    dirtyRateBytesPerSec: rate,
    workingSetBytes: wss,
    cpuUtilisation: Math.min(1, cpuBase + uniform(random, -0.05, 0.15)),
    ramUtilisation: uniform(random, 0.3, 0.95),
  };
}

/**
 * Hosts have 64 vCPUs and 256 GiB (1 vCPU / 4 GiB reserved), 10 or 25 Gbit/s for migrations;
 * each carries vmsPerHost guests; the flavor and activity mix makes their load uneven.
 */
export function syntheticFleet(spec: FleetSpec): Fleet {
  const random = seededRandom(spec.seed);
  const hosts: HostCapacity[] = [];
  const instances: InstanceLoad[] = [];
  for (let h = 0; h < spec.hostCount; h++) {
    const hostId = `host-${String(h).padStart(4, '0')}`;
    const fast = random() < (spec.fastLinkFraction ?? 0.2);
    let usedVcpus = 0;
    let usedMemoryMiB = 0;
    for (let v = 0; v < spec.vmsPerHost; v++) {
      const instance = makeInstance(random, `${hostId}-vm${String(v).padStart(2, '0')}`, hostId);
      usedVcpus += instance.vcpus;
      usedMemoryMiB += instance.memoryMiB;
      instances.push(instance);
    }
    hosts.push({
      id: hostId,
      name: `compute-${h}`,
      vcpus: 64,
      memoryMiB: 256 * 1024,
      state: 'enabled',
      agentUp: true,
      migrationBandwidthBytesPerSec: ((fast ? 25 : 10) * 1e9) / 8,
      usedVcpus,
      usedMemoryMiB,
      reservedVcpus: 1,
      reservedMemoryMiB: 4096,
    });
  }
  return { hosts, instances };
}
