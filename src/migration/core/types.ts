// Plain domain types of the pure core. The service layer maps entities onto these.

export type HostState = 'enabled' | 'disabled' | 'maintenance';

export interface HostCapacity {
  readonly id: string;
  readonly name: string;
  readonly vcpus: number;
  readonly memoryMiB: number;
  readonly state: HostState;
  readonly agentUp: boolean;
  /** Link rate available to live migrations leaving this host, shared by its outbound migrations. */
  readonly migrationBandwidthBytesPerSec: number;
  readonly usedVcpus: number;
  readonly usedMemoryMiB: number;
  readonly reservedVcpus: number;
  readonly reservedMemoryMiB: number;
  /** Measured utilisation, 0..1; when absent it is derived from the instances' own figures. */
  readonly cpuUtilisation?: number;
  readonly ramUtilisation?: number;
  /** CPU features the host offers (libvirt capabilities); used only when an instance requires some. */
  readonly cpuFeatures?: readonly string[];
}

export interface InstanceLoad {
  readonly id: string;
  readonly name: string;
  readonly hostId: string;
  readonly vcpus: number;
  readonly memoryMiB: number;
  readonly dirtyRateBytesPerSec: number;
  /** Pages re-dirtied per pre-copy round cannot exceed this; defaults to all of RAM. */
  readonly workingSetBytes?: number;
  /** Fraction of the instance's own vCPUs that are busy, 0..1. */
  readonly cpuUtilisation?: number;
  /** Fraction of the instance's RAM actually in use, 0..1 (1 when unknown). */
  readonly ramUtilisation?: number;
  /** Epoch milliseconds of the last completed migration, for anti-flap cooldowns. */
  readonly lastMigratedAt?: number;
  readonly requiredCpuFeatures?: readonly string[];
}
