import { DomainEvent, NativeDomainEvent, toDomainEvent } from './domain-event';
import {
  DomainStatsRecord,
  NodeCpuStats,
  NodeInfo,
  NodeMemoryStats,
  toDomainStatsRecord,
  toNodeCpuStats,
  toNodeMemoryStats,
} from './host-stats';
import { LibvirtDomain } from './libvirt-domain';
import { assertLibvirtUri } from '../../inventory/hosts/libvirt-uri-rules';
import { boundedOpen } from './bounded-open';
import { loadNativeLibvirt } from './load-native';
import { HypervisorCpuOptions, NativeConnection } from './native-binding';

/** virCPUCompareResult */
export type CpuCompareResult = 'incompatible' | 'identical' | 'superset';
const CPU_COMPARE: readonly CpuCompareResult[] = ['incompatible', 'identical', 'superset'];

function cpuCompareResult(result: number): CpuCompareResult {
  const name = CPU_COMPARE[result];
  if (name === undefined) throw new RangeError(`unknown CPU comparison result ${result}`);
  return name;
}

const LIST_DOMAINS_ACTIVE = 1 << 0;
const LIST_DOMAINS_INACTIVE = 1 << 1;
// VIR_DOMAIN_STATS_STATE | CPU_TOTAL | BALLOON
const HOST_DOMAIN_STATS = (1 << 0) | (1 << 1) | (1 << 2);

export type DomainEventListener = (event: DomainEvent) => void;
/** Stops a subscription; resolves once libvirt has dropped the callbacks. */
export type Unsubscribe = () => Promise<void>;

/** An open libvirt connection. Use after close() rejects with LibvirtError(INVALID_CONN). */
export class LibvirtConnection {
  // libvirt allows one registration per callback and connection, so JS listeners share it.
  private readonly listeners = new Set<DomainEventListener>();
  private registration: Promise<number> | undefined;
  private deregistration: Promise<void> = Promise.resolve();

  private constructor(
    private readonly native: NativeConnection,
    readonly uri: string,
  ) {}

  /** Refused with LibvirtError(OPERATION_TIMEOUT) after `connectTimeoutMs` (LIVEMIG_LIBVIRT_CONNECT_TIMEOUT_MS). */
  static async open(uri: string, options: { readOnly?: boolean; connectTimeoutMs?: number } = {}): Promise<LibvirtConnection> {
    assertLibvirtUri(uri);
    const native = await boundedOpen(
      uri,
      () => loadNativeLibvirt().openConnection(uri, options.readOnly === true),
      options.connectTimeoutMs,
    );
    return new LibvirtConnection(native, uri);
  }

  /** Closes the connection; its event subscriptions end with it. */
  close(): Promise<void> {
    this.listeners.clear();
    this.registration = undefined;
    return this.native.close();
  }

  hostname(): Promise<string> {
    return this.native.hostname();
  }

  nodeInfo(): Promise<NodeInfo> {
    return this.native.nodeInfo();
  }

  /** Capabilities XML (host CPU model and features, guest machine types). */
  capabilities(): Promise<string> {
    return this.native.capabilities();
  }

  /** virConnectCompareCPU: can a guest with this `<cpu>` XML run on this host? */
  async compareCpu(cpuXml: string): Promise<CpuCompareResult> {
    return cpuCompareResult(await this.native.compareCpu(cpuXml));
  }

  /**
   * virConnectCompareHypervisorCPU: can this host's hypervisor give a guest that `<cpu>`? The
   * check to run on a destination before migrating a guest there.
   */
  async compareHypervisorCpu(cpuXml: string, options: HypervisorCpuOptions = {}): Promise<CpuCompareResult> {
    return cpuCompareResult(await this.native.compareHypervisorCpu(cpuXml, options));
  }

  /** Versions as libvirt encodes them: major * 1,000,000 + minor * 1,000 + release. */
  version(): Promise<{ hypervisor: number; library: number }> {
    return this.native.version();
  }

  async listDomains(filter: { active?: boolean; inactive?: boolean } = {}): Promise<LibvirtDomain[]> {
    let flags = 0;
    if (filter.active) flags |= LIST_DOMAINS_ACTIVE;
    if (filter.inactive) flags |= LIST_DOMAINS_INACTIVE;
    return (await this.native.listDomains(flags)).map((d) => new LibvirtDomain(d, this.uri));
  }

  async lookupDomain(name: string): Promise<LibvirtDomain> {
    return new LibvirtDomain(await this.native.lookupByName(name), this.uri);
  }

  async lookupDomainByUuid(uuid: string): Promise<LibvirtDomain> {
    return new LibvirtDomain(await this.native.lookupByUuid(uuid), this.uri);
  }

  async defineDomain(xml: string): Promise<LibvirtDomain> {
    return new LibvirtDomain(await this.native.defineXml(xml), this.uri);
  }

  async nodeCpuStats(): Promise<NodeCpuStats> {
    return toNodeCpuStats(await this.native.nodeCpuStats());
  }

  async nodeMemoryStats(): Promise<NodeMemoryStats> {
    return toNodeMemoryStats(await this.native.nodeMemoryStats());
  }

  /** State, CPU time and balloon of every domain on the host, in one call. */
  async domainStats(): Promise<DomainStatsRecord[]> {
    const records = await this.native.allDomainStats(HOST_DOMAIN_STATS);
    return records.map((r) => toDomainStatsRecord(r.domain.name, r.domain.uuid, r.params));
  }

  /**
   * Lifecycle, migration-iteration and job-completed events of every domain on this connection.
   * The process stays alive while a subscription exists.
   */
  async onDomainEvent(listener: DomainEventListener): Promise<Unsubscribe> {
    this.listeners.add(listener);
    try {
      await this.deregistration;
      this.registration ??= this.native.registerDomainEvents((raw) => this.dispatch(raw));
      await this.registration;
    } catch (error) {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.registration = undefined;
      throw error;
    }
    let subscribed = true;
    return async () => {
      if (!subscribed) return;
      subscribed = false;
      this.listeners.delete(listener);
      const registration = this.registration;
      if (this.listeners.size > 0 || registration === undefined) return;
      this.registration = undefined;
      this.deregistration = registration.then((handle) => this.native.deregisterDomainEvents(handle));
      await this.deregistration;
    };
  }

  private dispatch(raw: NativeDomainEvent): void {
    const event = toDomainEvent(raw);
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        // One failing listener must not starve the others; the error still surfaces as uncaught.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
