import { DomainInfo, DomainState, domainStateName } from './domain-state';
import { DirtyRate, DomainMemoryStats, toDirtyRate, toDomainMemoryStats } from './host-stats';
import { JobStats, toJobStats } from './job-stats';
import { migrateFlagsMask, MigrateRequest, toMigrateParamSpecs } from './migrate-params';
import { NativeDomain } from './native-binding';

// Flag values from libvirt-domain.h (checked against the addon's constants in tests).
export const DomainXmlFlag = { SECURE: 1, INACTIVE: 2, UPDATE_CPU: 4, MIGRATABLE: 8 } as const;
export const JOB_STATS_COMPLETED = 1 << 0;
export const MAX_SPEED_POSTCOPY = 1 << 0;
export const ABORT_JOB_POSTCOPY = 1 << 0;
export const DOMAIN_STATS_DIRTYRATE = 1 << 9;

export type DirtyRateCalcMode = 'page-sampling' | 'dirty-bitmap' | 'dirty-ring';
/** virDomainDirtyRateCalcFlags */
export const DIRTY_RATE_MODE_FLAG: Readonly<Record<DirtyRateCalcMode, number>> = {
  'page-sampling': 0,
  'dirty-bitmap': 1 << 0,
  'dirty-ring': 1 << 1,
};

export interface DomainXmlOptions {
  readonly inactive?: boolean;
  readonly secure?: boolean;
  readonly migratable?: boolean;
}

/** A libvirt domain on one host. Every method is one libvirt call, run off the event loop. */
export class LibvirtDomain {
  constructor(
    private readonly native: NativeDomain,
    /** The libvirt URI of the host this handle was obtained from. */
    readonly hostUri: string,
  ) {}

  get name(): string {
    return this.native.name;
  }

  get uuid(): string {
    return this.native.uuid;
  }

  async info(): Promise<DomainInfo> {
    const raw = await this.native.info();
    return { ...raw, state: domainStateName(raw.state) };
  }

  async state(): Promise<DomainState> {
    const raw = await this.native.state();
    return { state: domainStateName(raw.state), reason: raw.reason };
  }

  xml(options: DomainXmlOptions = {}): Promise<string> {
    let flags = 0;
    if (options.inactive) flags |= DomainXmlFlag.INACTIVE;
    if (options.secure) flags |= DomainXmlFlag.SECURE;
    if (options.migratable) flags |= DomainXmlFlag.MIGRATABLE;
    return this.native.xml(flags);
  }

  start(): Promise<void> {
    return this.native.create();
  }

  destroy(): Promise<void> {
    return this.native.destroy();
  }

  /** Pauses the guest's vCPUs (Nova's force-complete without post-copy: nothing more is dirtied). */
  suspend(): Promise<void> {
    return this.native.suspend();
  }

  resume(): Promise<void> {
    return this.native.resume();
  }

  undefine(): Promise<void> {
    return this.native.undefine();
  }

  /** virDomainMigrateToURI3; resolves when the migration job has finished (or rejects with its error). */
  async migrate(request: MigrateRequest): Promise<void> {
    const specs = toMigrateParamSpecs(request.params);
    return this.native.migrateToUri3(request.destinationUri ?? null, specs, migrateFlagsMask(request.flags), request.params.maxDowntimeMs);
  }

  /** The running job, or with `completed` the last finished one (read it on the destination after a migration). */
  async jobStats(options: { completed?: boolean } = {}): Promise<JobStats> {
    const completed = options.completed === true;
    const raw = await this.native.jobStats(completed ? JOB_STATS_COMPLETED : 0);
    return toJobStats(raw.type, raw.params, completed);
  }

  abortJob(): Promise<void> {
    return this.native.abortJob();
  }

  /** Pauses a post-copy job (QEMU's migrate-pause): both sides wait for a resume instead of failing for good. */
  pausePostCopy(): Promise<void> {
    return this.native.abortJob(ABORT_JOB_POSTCOPY);
  }

  setMaxDowntime(downtimeMs: number): Promise<void> {
    return this.native.setMaxDowntime(downtimeMs);
  }

  maxDowntimeMs(): Promise<number> {
    return this.native.getMaxDowntime();
  }

  setMaxSpeed(bandwidthMiBps: number, options: { postcopy?: boolean } = {}): Promise<void> {
    return this.native.setMaxSpeed(bandwidthMiBps, options.postcopy ? MAX_SPEED_POSTCOPY : 0);
  }

  maxSpeedMiBps(options: { postcopy?: boolean } = {}): Promise<number> {
    return this.native.getMaxSpeed(options.postcopy ? MAX_SPEED_POSTCOPY : 0);
  }

  /** Switches a running migration (started with the POSTCOPY flag) to post-copy. */
  startPostCopy(): Promise<void> {
    return this.native.startPostCopy();
  }

  setCompressionCache(cacheBytes: number): Promise<void> {
    return this.native.setCompressionCache(cacheBytes);
  }

  compressionCacheBytes(): Promise<number> {
    return this.native.getCompressionCache();
  }

  async memoryStats(): Promise<DomainMemoryStats> {
    return toDomainMemoryStats(await this.native.memoryStats());
  }

  /**
   * Starts QEMU's dirty-rate measurement over `calcSeconds`; read the result with dirtyRate().
   * page-sampling (default) hashes ~512 pages per GiB, too few for a small guest;
   * dirty-bitmap counts every page (and briefly tracks all memory), but crashes QEMU 7.2 under
   * TCG (seen in the lab); dirty-ring needs KVM.
   */
  startDirtyRateCalc(calcSeconds: number, mode: DirtyRateCalcMode = 'page-sampling'): Promise<void> {
    return this.native.startDirtyRateCalc(calcSeconds, DIRTY_RATE_MODE_FLAG[mode]);
  }

  async dirtyRate(): Promise<DirtyRate> {
    return toDirtyRate(await this.native.stats(DOMAIN_STATS_DIRTYRATE));
  }
}
