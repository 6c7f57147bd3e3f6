import { DomainEvent } from './domain-event';
import { DomainInfo, DomainState } from './domain-state';
import { DirtyRate, DomainStatsRecord, NodeCpuStats, NodeInfo, NodeMemoryStats } from './host-stats';
import { JobStats } from './job-stats';
import { CpuCompareResult } from './libvirt-connection';
import { MigrateRequest } from './migrate-params';
import { DirtyRateCalcMode } from './libvirt-domain';

/** Nest injection token for the LibvirtRepository. */
export const LIBVIRT_REPOSITORY = Symbol('LibvirtRepository');

/** A connection to one host's libvirtd, as the migration engine sees it. */
export interface HostConnectionRef {
  readonly uri: string;
}

/** A domain on one host. */
export interface DomainRef {
  readonly name: string;
  readonly uuid: string;
  readonly hostUri: string;
}

export interface DirtyRateRequest {
  /** How long QEMU samples dirty pages (1 to 60 s). */
  readonly calcSeconds: number;
  /** QEMU's calc mode; page-sampling when unset. */
  readonly mode?: DirtyRateCalcMode;
  /** How often to check whether the measurement is done. */
  readonly pollIntervalMs?: number;
}

/**
 * What the migration engine needs from libvirt. The native implementation wraps the addon;
 * tests of the engine use a fake. Errors are LibvirtError with libvirt's code and domain.
 */
export interface LibvirtRepository {
  connect(uri: string): Promise<HostConnectionRef>;
  disconnect(connection: HostConnectionRef): Promise<void>;
  hostname(connection: HostConnectionRef): Promise<string>;
  nodeInfo(connection: HostConnectionRef): Promise<NodeInfo>;
  /** virConnectGetVersion and virConnectGetLibVersion (major * 1,000,000 + minor * 1,000 + release). */
  versions(connection: HostConnectionRef): Promise<{ hypervisor: number; library: number }>;
  /** Host capabilities XML, for a CPU-compatibility pre-check. */
  capabilities(connection: HostConnectionRef): Promise<string>;
  compareCpu(connection: HostConnectionRef, cpuXml: string): Promise<CpuCompareResult>;

  lookupDomain(connection: HostConnectionRef, name: string): Promise<DomainRef>;
  domainState(domain: DomainRef): Promise<DomainState>;
  domainInfo(domain: DomainRef): Promise<DomainInfo>;
  /** Starts a defined, inactive domain (restart recovery: a guest must run somewhere). */
  start(domain: DomainRef): Promise<void>;
  /** Pauses the guest: force-complete without post-copy, as Nova does. */
  suspend(domain: DomainRef): Promise<void>;
  resume(domain: DomainRef): Promise<void>;
  /** Stops a domain at once (restart recovery: a stale copy left by a failed migration). */
  destroy(domain: DomainRef): Promise<void>;

  /** Resolves when the migration job is over; sample jobStats() concurrently meanwhile. */
  migrate(domain: DomainRef, request: MigrateRequest): Promise<void>;
  jobStats(domain: DomainRef, options?: { completed?: boolean }): Promise<JobStats>;
  abortJob(domain: DomainRef): Promise<void>;
  /** A post-copy job whose link is stuck: paused on both sides, to be resumed with the POSTCOPY_RESUME flag. */
  pausePostCopy(domain: DomainRef): Promise<void>;
  setMaxDowntime(domain: DomainRef, downtimeMs: number): Promise<void>;
  setMaxSpeed(domain: DomainRef, bandwidthMiBps: number): Promise<void>;
  startPostCopy(domain: DomainRef): Promise<void>;

  /** Subscribes to the domain events of one host; the returned function unsubscribes. */
  onDomainEvent(connection: HostConnectionRef, listener: (event: DomainEvent) => void): Promise<() => Promise<void>>;
  /** virNodeGetCPUStats over all CPUs: cumulative busy and idle time of the host. */
  nodeCpuStats(connection: HostConnectionRef): Promise<NodeCpuStats>;
  /** virNodeGetMemoryStats over all cells. */
  nodeMemoryStats(connection: HostConnectionRef): Promise<NodeMemoryStats>;
  /** virConnectGetAllDomainStats (state, cpu.time, balloon.rss) of every domain on the host. */
  domainStats(connection: HostConnectionRef): Promise<DomainStatsRecord[]>;
  /** Measures the guest's dirty rate with QEMU's calc-dirty-rate and waits for the result. */
  dirtyRate(domain: DomainRef, request: DirtyRateRequest): Promise<DirtyRate>;
}
