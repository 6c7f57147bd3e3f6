import { setTimeout as sleep } from 'node:timers/promises';

import { DomainEvent } from './domain-event';
import { DomainInfo, DomainState } from './domain-state';
import { DirtyRate, DomainStatsRecord, NodeCpuStats, NodeInfo, NodeMemoryStats } from './host-stats';
import { JobStats } from './job-stats';
import { CpuCompareResult, LibvirtConnection } from './libvirt-connection';
import { LibvirtDomain } from './libvirt-domain';
import { DirtyRateRequest, DomainRef, HostConnectionRef, LibvirtRepository } from './libvirt.repository';
import { MigrateRequest } from './migrate-params';
import { HypervisorCpuOptions } from './native-binding';

const DEFAULT_DIRTY_RATE_POLL_MS = 250;

/** LibvirtRepository over the native addon: each method is one call on the wrapper classes; all of them reject, never throw. */
export class NativeLibvirtRepository implements LibvirtRepository {
  async connect(uri: string): Promise<LibvirtConnection> {
    return LibvirtConnection.open(uri);
  }

  async disconnect(connection: HostConnectionRef): Promise<void> {
    return asConnection(connection).close();
  }

  async hostname(connection: HostConnectionRef): Promise<string> {
    return asConnection(connection).hostname();
  }

  async nodeInfo(connection: HostConnectionRef): Promise<NodeInfo> {
    return asConnection(connection).nodeInfo();
  }

  async versions(connection: HostConnectionRef): Promise<{ hypervisor: number; library: number }> {
    return asConnection(connection).version();
  }

  async capabilities(connection: HostConnectionRef): Promise<string> {
    return asConnection(connection).capabilities();
  }

  async compareCpu(connection: HostConnectionRef, cpuXml: string): Promise<CpuCompareResult> {
    return asConnection(connection).compareCpu(cpuXml);
  }

  async compareHypervisorCpu(connection: HostConnectionRef, cpuXml: string, options?: HypervisorCpuOptions): Promise<CpuCompareResult> {
    return asConnection(connection).compareHypervisorCpu(cpuXml, options);
  }

  async lookupDomain(connection: HostConnectionRef, name: string): Promise<LibvirtDomain> {
    return asConnection(connection).lookupDomain(name);
  }

  async domainState(domain: DomainRef): Promise<DomainState> {
    return asDomain(domain).state();
  }

  async domainInfo(domain: DomainRef): Promise<DomainInfo> {
    return asDomain(domain).info();
  }

  async start(domain: DomainRef): Promise<void> {
    return asDomain(domain).start();
  }

  async suspend(domain: DomainRef): Promise<void> {
    return asDomain(domain).suspend();
  }

  async resume(domain: DomainRef): Promise<void> {
    return asDomain(domain).resume();
  }

  async destroy(domain: DomainRef): Promise<void> {
    return asDomain(domain).destroy();
  }

  async migrate(domain: DomainRef, request: MigrateRequest): Promise<void> {
    return asDomain(domain).migrate(request);
  }

  async jobStats(domain: DomainRef, options?: { completed?: boolean }): Promise<JobStats> {
    return asDomain(domain).jobStats(options);
  }

  async abortJob(domain: DomainRef): Promise<void> {
    return asDomain(domain).abortJob();
  }

  async pausePostCopy(domain: DomainRef): Promise<void> {
    return asDomain(domain).pausePostCopy();
  }

  async setMaxDowntime(domain: DomainRef, downtimeMs: number): Promise<void> {
    return asDomain(domain).setMaxDowntime(downtimeMs);
  }

  async setMaxSpeed(domain: DomainRef, bandwidthMiBps: number): Promise<void> {
    return asDomain(domain).setMaxSpeed(bandwidthMiBps);
  }

  async startPostCopy(domain: DomainRef): Promise<void> {
    return asDomain(domain).startPostCopy();
  }

  async onDomainEvent(connection: HostConnectionRef, listener: (event: DomainEvent) => void): Promise<() => Promise<void>> {
    return asConnection(connection).onDomainEvent(listener);
  }

  async nodeCpuStats(connection: HostConnectionRef): Promise<NodeCpuStats> {
    return asConnection(connection).nodeCpuStats();
  }

  async nodeMemoryStats(connection: HostConnectionRef): Promise<NodeMemoryStats> {
    return asConnection(connection).nodeMemoryStats();
  }

  async domainStats(connection: HostConnectionRef): Promise<DomainStatsRecord[]> {
    return asConnection(connection).domainStats();
  }

  async dirtyRate(domain: DomainRef, request: DirtyRateRequest): Promise<DirtyRate> {
    const dom = asDomain(domain);
    await dom.startDirtyRateCalc(request.calcSeconds, request.mode);
    await sleep(request.calcSeconds * 1000);
    // QEMU finishes shortly after the period; give it a few polls before giving up.
    const deadline = Date.now() + request.calcSeconds * 1000 + 5000;
    for (;;) {
      const rate = await dom.dirtyRate();
      if (rate.status === 'measured') return rate;
      if (Date.now() > deadline) throw new Error(`dirty-rate measurement of ${dom.name} did not finish (status ${rate.status})`);
      await sleep(request.pollIntervalMs ?? DEFAULT_DIRTY_RATE_POLL_MS);
    }
  }
}

// Refs handed out by this repository are the wrapper objects themselves; anything else is a caller bug.
function asConnection(ref: HostConnectionRef): LibvirtConnection {
  if (!(ref instanceof LibvirtConnection)) throw new TypeError('not a connection from NativeLibvirtRepository');
  return ref;
}

function asDomain(ref: DomainRef): LibvirtDomain {
  if (!(ref instanceof LibvirtDomain)) throw new TypeError('not a domain from NativeLibvirtRepository');
  return ref;
}
