// The shape of the compiled addon (native/src). Only the wrapper classes use it directly.
import { NativeDomainEvent } from './domain-event';
import { TypedParams, TypedParamSpec } from './typed-params';

export interface NativeDomain {
  readonly name: string;
  readonly uuid: string;
  info(): Promise<{ state: number; maxMemKiB: number; memoryKiB: number; vcpus: number; cpuTimeNs: number }>;
  state(): Promise<{ state: number; reason: number }>;
  xml(flags?: number): Promise<string>;
  create(flags?: number): Promise<void>;
  destroy(flags?: number): Promise<void>;
  suspend(): Promise<void>;
  resume(): Promise<void>;
  undefine(flags?: number): Promise<void>;
  migrateToUri3(destinationUri: string | null, params: readonly TypedParamSpec[], flags: number, maxDowntimeMs?: number): Promise<void>;
  jobInfo(): Promise<Readonly<Record<string, number>>>;
  jobStats(flags?: number): Promise<{ type: number; params: TypedParams }>;
  abortJob(flags?: number): Promise<void>;
  setMaxDowntime(downtimeMs: number): Promise<void>;
  getMaxDowntime(): Promise<number>;
  setMaxSpeed(bandwidthMiBps: number, flags?: number): Promise<void>;
  getMaxSpeed(flags?: number): Promise<number>;
  startPostCopy(): Promise<void>;
  setCompressionCache(cacheBytes: number): Promise<void>;
  getCompressionCache(): Promise<number>;
  memoryStats(): Promise<Readonly<Record<string, number>>>;
  stats(statsMask: number, flags?: number): Promise<TypedParams>;
  startDirtyRateCalc(seconds: number, flags?: number): Promise<void>;
}

/** Which hypervisor CPU to compare against; unset fields take libvirt's defaults for the host. */
export interface HypervisorCpuOptions {
  readonly emulator?: string;
  readonly arch?: string;
  readonly machine?: string;
  /** 'kvm' or 'qemu' (TCG). */
  readonly virttype?: string;
}

export interface NativeConnection {
  close(): Promise<void>;
  hostname(): Promise<string>;
  nodeInfo(): Promise<{
    model: string;
    memoryKiB: number;
    cpus: number;
    mhz: number;
    nodes: number;
    sockets: number;
    cores: number;
    threads: number;
  }>;
  capabilities(): Promise<string>;
  compareCpu(cpuXml: string, flags?: number): Promise<number>;
  compareHypervisorCpu(cpuXml: string, options?: HypervisorCpuOptions, flags?: number): Promise<number>;
  version(): Promise<{ hypervisor: number; library: number }>;
  listDomains(flags?: number): Promise<NativeDomain[]>;
  lookupByName(name: string): Promise<NativeDomain>;
  lookupByUuid(uuid: string): Promise<NativeDomain>;
  defineXml(xml: string): Promise<NativeDomain>;
  nodeCpuStats(): Promise<Readonly<Record<string, number>>>;
  nodeMemoryStats(): Promise<Readonly<Record<string, number>>>;
  allDomainStats(statsMask: number, flags?: number): Promise<{ domain: NativeDomain; params: TypedParams }[]>;
  registerDomainEvents(callback: (event: NativeDomainEvent) => void): Promise<number>;
  deregisterDomainEvents(handle: number): Promise<void>;
}

export interface NativeAddon {
  openConnection(uri: string, readOnly?: boolean): Promise<NativeConnection>;
  setErrorClass(ctor: new (message: string, code: number, domain: number, level: number) => Error): void;
  readonly constants: Readonly<Record<string, number>>;
}
