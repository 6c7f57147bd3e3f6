import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HostEntity } from '../../inventory/hosts/host.entity';
import { InstancesRepository } from '../../inventory/repositories/instances.repository';
import type { InstanceLoad } from '../core';
import { errorMessage, Hypervisor } from '../hypervisor';
import type { HostConnectionRef } from '../libvirt';
import { guestLoads, nodeCpuBusy, type GuestSize, type HostLoadSample, type MeasuredGuestLoad } from './measured-load';

/** Long enough for cpu.time to mean something, short enough for a policy run. */
export const LOAD_SAMPLE_INTERVAL_MS = 1000;

export interface HostLoad {
  /** Guests by domain name. */
  guests: Map<string, MeasuredGuestLoad>;
  /** The whole host's CPU busy fraction (node stats); for the audit, the planner sums guests. */
  nodeCpuBusy: number | null;
  nodeMemoryUsedFraction: number | null;
}

export type LoadMeasurement = Map<string, HostLoad | { error: string }>;

/** Measures guest CPU and RAM utilisation on each host through libvirt's node and domain stats. */
@Injectable()
export class LibvirtLoadService {
  constructor(
    private readonly hypervisor: Hypervisor,
    private readonly instanceRows: InstancesRepository,
  ) {}

  /**
   * The instances with their measured utilisation filled in; an instance whose host could not be read,
   * or whose domain libvirt did not list, keeps none and counts at its full allocation.
   */
  async measureFleet(
    hosts: readonly HostEntity[],
    instances: readonly InstanceLoad[],
  ): Promise<{ instances: InstanceLoad[]; measurement: LoadMeasurement }> {
    const domainOf = new Map((await this.instanceRows.findAll()).map((i) => [i.id, i.domainName]));
    const sizes = new Map<string, GuestSize>();
    for (const i of instances) {
      const domain = domainOf.get(i.id);
      if (domain) sizes.set(domain, { vcpus: i.vcpus, ramMiB: i.memoryMiB });
    }
    const measurement = await this.measure(hosts, sizes);
    const measured = instances.map((i): InstanceLoad => {
      const host = measurement.get(i.hostId);
      const load = host && 'guests' in host ? host.guests.get(domainOf.get(i.id) ?? '') : undefined;
      if (!load) return i;
      return {
        ...i,
        ...(load.cpuUtilisation !== null ? { cpuUtilisation: load.cpuUtilisation } : {}),
        ...(load.ramUtilisation !== null ? { ramUtilisation: load.ramUtilisation } : {}),
      };
    });
    return { instances: measured, measurement };
  }

  /** Host id → its load, or why it could not be read. All hosts are sampled at once. */
  async measure(
    hosts: readonly HostEntity[],
    sizes: ReadonlyMap<string, GuestSize>,
    intervalMs = LOAD_SAMPLE_INTERVAL_MS,
  ): Promise<LoadMeasurement> {
    const out: LoadMeasurement = new Map();
    await Promise.all(
      hosts.map(async (host) => {
        try {
          out.set(host.id, await this.hypervisor.withConnection(host.libvirtUri, (c) => this.measureHost(c, sizes, intervalMs)));
        } catch (err) {
          out.set(host.id, { error: errorMessage(err) });
        }
      }),
    );
    return out;
  }

  private async measureHost(c: HostConnectionRef, sizes: ReadonlyMap<string, GuestSize>, intervalMs: number): Promise<HostLoad> {
    const before = await this.sample(c);
    await sleep(intervalMs);
    const after = await this.sample(c);
    const memory = await this.hypervisor.libvirt.nodeMemoryStats(c);
    const usedKiB =
      memory.totalKiB !== undefined && memory.freeKiB !== undefined
        ? memory.totalKiB - memory.freeKiB - (memory.buffersKiB ?? 0) - (memory.cachedKiB ?? 0)
        : null;
    return {
      guests: guestLoads(before, after, sizes),
      nodeCpuBusy: nodeCpuBusy(before.nodeCpu, after.nodeCpu),
      nodeMemoryUsedFraction: usedKiB !== null && memory.totalKiB ? usedKiB / memory.totalKiB : null,
    };
  }

  private async sample(c: HostConnectionRef): Promise<HostLoadSample> {
    const libvirt = this.hypervisor.libvirt;
    const [domains, nodeCpu] = await Promise.all([libvirt.domainStats(c), libvirt.nodeCpuStats(c)]);
    return { atMs: Date.now(), domains: domains.map((d) => ({ name: d.name, cpuTimeNs: d.cpuTimeNs, rssKiB: d.balloonRssKiB })), nodeCpu };
  }
}
