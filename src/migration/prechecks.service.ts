import { Injectable } from '@nestjs/common';
import { AgentError } from '../agents/client/agent.client';
import type { FlavorEntity } from '../inventory/flavors/flavor.entity';
import type { HostEntity } from '../inventory/hosts/host.entity';
import type { InstanceEntity } from '../inventory/instances/instance.entity';
import { AgentDirectory } from '../agents/agent-directory.service';
import { describeClassChanges, type ClassChange } from '../network/core/peer-paths';
import { PathsService } from '../network/paths/paths.service';
import { freeMemoryMiB, freeVcpus } from './core';
import { HostCapacityService } from './host-capacity.service';
import { errorMessage, Hypervisor } from './hypervisor';
import { PrecheckRefusal } from './precheck-refusal';

export interface PrecheckSubject {
  instance: InstanceEntity;
  flavor: FlavorEntity;
  source: HostEntity;
  destination: HostEntity;
}

export interface PrecheckResult {
  /** The shared-storage marker passed, so libvirt's UNSAFE flag is justified. */
  sharedStorageProven: boolean;
  checks: { name: string; durationMs: number; detail: string }[];
  /** The peers whose path class the move changes (informational: never refuses). */
  pathChanges: ClassChange[];
}

const HOST_CPU = /<host>[\s\S]*?(<cpu>[\s\S]*?<\/cpu>)/;
/** Passes kept for the run's own pre-migration phase; past this the queue has waited and the checks run again. */
export const PRECHECK_REUSE_MS = 5_000;

/** Host CPUs change only with a host's restart; a compatible pair is compared again after this. */
export const CPU_COMPARE_REUSE_MS = 10 * 60_000;

const subjectKey = (s: PrecheckSubject) => `${s.instance.id}:${s.source.id}:${s.destination.id}`;

/** The pre-migration phase: each check passes or refuses with a reason an operator can act on. */
@Injectable()
export class PrechecksService {
  constructor(
    private readonly agents: AgentDirectory,
    private readonly capacity: HostCapacityService,
    private readonly hypervisor: Hypervisor,
    private readonly paths: PathsService,
  ) {}

  private readonly recentPasses = new Map<string, { at: number; result: PrecheckResult }>();
  private readonly compatibleCpus = new Map<string, { at: number; result: string }>();

  /**
   * The pass the request itself just got for the same move, taken once: the run that starts at once need not
   * repeat seconds of checks. Null when none is this recent (the queue waited, or another replica checked).
   */
  takeRecentPass(subject: PrecheckSubject, maxAgeMs = PRECHECK_REUSE_MS): PrecheckResult | null {
    const key = subjectKey(subject);
    const pass = this.recentPasses.get(key);
    this.recentPasses.delete(key);
    return pass && Date.now() - pass.at <= maxAgeMs ? pass.result : null;
  }

  async run(subject: PrecheckSubject): Promise<PrecheckResult> {
    const result = await this.runChecks(subject);
    const now = Date.now();
    for (const [key, pass] of this.recentPasses) if (now - pass.at > PRECHECK_REUSE_MS) this.recentPasses.delete(key);
    this.recentPasses.set(subjectKey(subject), { at: now, result });
    return result;
  }

  private async runChecks(subject: PrecheckSubject): Promise<PrecheckResult> {
    const { source, destination, instance, flavor } = subject;
    const checks: PrecheckResult['checks'] = [];
    const timed = async (name: string, fn: () => Promise<string>) => {
      const started = Date.now();
      const detail = await fn();
      checks.push({ name, durationMs: Date.now() - started, detail });
    };
    // Independent checks run together; the first refusal in the listed order is the one reported.
    const together = async (list: [string, () => Promise<string>][]) => {
      const settled = await Promise.allSettled(list.map(([name, fn]) => timed(name, fn)));
      const refused = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (refused) throw refused.reason;
    };

    await timed('hosts', async () => {
      if (source.id === destination.id)
        throw new PrecheckRefusal('same-host', `instance ${instance.name} already runs on ${source.name}`, 422);
      if (destination.state !== 'enabled') {
        throw new PrecheckRefusal('host-state', `destination ${destination.name} is ${destination.state}`, 409, {
          host: destination.name,
          state: destination.state,
        });
      }
      if (source.state === 'disabled') throw new PrecheckRefusal('host-state', `source ${source.name} is disabled`, 409);
      return `${source.name} → ${destination.name}`;
    });

    let pathChanges: ClassChange[] = [];
    await together([
      [
        'paths',
        async () => {
          try {
            pathChanges = (await this.paths.forInstance(instance.id, destination.id)).changed;
            return describeClassChanges(pathChanges);
          } catch (err) {
            return `path classes not computed: ${errorMessage(err)}`;
          }
        },
      ],
      [
        'agents',
        async () => {
          for (const host of [source, destination]) {
            if (host.agentState === 'down') {
              const since = host.agentLastSeenAt ? `last heartbeat at ${host.agentLastSeenAt.toISOString()}` : 'no heartbeat answered';
              throw new PrecheckRefusal('agent', `the agent on ${host.name} is down: it missed its heartbeats (${since})`, 409, {
                host: host.name,
              });
            }
          }
          // Both hosts asked at once; the source's refusal is the one reported when both fail.
          const health = await Promise.all([source, destination].map((host) => this.agents.check(host.id)));
          for (const [i, host] of [source, destination].entries()) {
            const h = health[i];
            if (!h.up) throw new PrecheckRefusal('agent', `the agent on ${host.name} is down: ${h.reason}`, 409, { host: host.name });
          }
          return 'both agents answer';
        },
      ],

      [
        'capacity',
        async () => {
          const host = (await this.capacity.capacities(() => true)).find((h) => h.id === destination.id);
          const free = host ? { vcpus: freeVcpus(host), memoryMiB: freeMemoryMiB(host) } : { vcpus: 0, memoryMiB: 0 };
          if (free.vcpus < flavor.vcpus || free.memoryMiB < flavor.ramMiB) {
            throw new PrecheckRefusal(
              'capacity',
              `destination ${destination.name} has ${free.vcpus} vCPU and ${free.memoryMiB} MiB free; ${flavor.name} needs ${flavor.vcpus} vCPU and ${flavor.ramMiB} MiB`,
              409,
              { free },
            );
          }
          return `${free.vcpus} vCPU, ${free.memoryMiB} MiB free`;
        },
      ],

      [
        'libvirt',
        async () => {
          const answers = await Promise.allSettled(
            [source, destination].map((host) =>
              this.hypervisor.withConnection(host.libvirtUri, (c) => this.hypervisor.libvirt.hostname(c)),
            ),
          );
          const names: string[] = [];
          for (const [i, host] of [source, destination].entries()) {
            const answer = answers[i];
            if (answer.status === 'rejected') {
              throw new PrecheckRefusal(
                'libvirt',
                `libvirt on ${host.name} (${host.libvirtUri}) does not answer: ${errorMessage(answer.reason)}`,
                409,
                { host: host.name },
              );
            }
            names.push(answer.value);
          }
          return names.join(', ');
        },
      ],

      [
        'domain',
        () =>
          this.hypervisor.withConnection(source.libvirtUri, async (c) => {
            const presence = await this.hypervisor.presence(c, instance.domainName);
            if (!presence.present)
              throw new PrecheckRefusal('domain', `domain ${instance.domainName} is not defined on ${source.name}`, 409);
            if (presence.state !== 'running')
              throw new PrecheckRefusal('domain', `domain ${instance.domainName} is ${presence.state} on ${source.name}, not running`, 409);
            return 'running on the source';
          }),
      ],

      [
        'cpu',
        async () => {
          // The slowest check (the capabilities XML, then a compare): a pair found compatible stays so for a while.
          const pair = `${source.libvirtUri} ${destination.libvirtUri}`;
          const known = this.compatibleCpus.get(pair);
          if (known && Date.now() - known.at <= CPU_COMPARE_REUSE_MS)
            return `destination CPU is ${known.result} (compared ${Date.now() - known.at} ms ago)`;
          const caps = await this.hypervisor.withConnection(source.libvirtUri, (c) => this.hypervisor.libvirt.capabilities(c));
          const cpuXml = HOST_CPU.exec(caps)?.[1];
          if (!cpuXml) return 'source reports no host CPU; not compared';
          const result = await this.hypervisor
            .withConnection(destination.libvirtUri, (c) => this.hypervisor.libvirt.compareCpu(c, cpuXml))
            .catch((err: unknown) => {
              throw new PrecheckRefusal('cpu', `could not compare CPUs on ${destination.name}: ${errorMessage(err)}`, 409);
            });
          if (result === 'incompatible') {
            this.compatibleCpus.delete(pair);
            throw new PrecheckRefusal('cpu', `the CPU of ${source.name} is not compatible with ${destination.name}`, 409);
          }
          this.compatibleCpus.set(pair, { at: Date.now(), result });
          return `destination CPU is ${result}`;
        },
      ],

      ['shared-storage', () => this.proveSharedStorage(source, destination)],
    ]);
    return { sharedStorageProven: true, checks, pathChanges };
  }

  /** Writes a marker from the source's agent and reads it from the destination's. */
  private async proveSharedStorage(source: HostEntity, destination: HostEntity): Promise<string> {
    if (source.instancesPath !== destination.instancesPath) {
      throw new PrecheckRefusal(
        'shared-storage',
        `instances paths differ (${source.instancesPath} on ${source.name}, ${destination.instancesPath} on ${destination.name})`,
        422,
      );
    }
    const [writer, reader] = await Promise.all([this.agents.clientFor(source.id), this.agents.clientFor(destination.id)]);
    const marker = await writer.createMarker(source.instancesPath).catch((err: unknown) => {
      const why = err instanceof AgentError ? err.reason : errorMessage(err);
      throw new PrecheckRefusal(
        'shared-storage',
        `no shared storage proven: the agent on ${source.name} could not write a marker in ${source.instancesPath} (${why})`,
        422,
      );
    });
    try {
      const seen = await reader.readMarker(marker.markerId, destination.instancesPath).catch((err: unknown) => {
        const why = err instanceof AgentError ? err.reason : errorMessage(err);
        throw new PrecheckRefusal(
          'shared-storage',
          `no shared storage: a marker written on ${source.name} is not visible on ${destination.name} (${why})`,
          422,
        );
      });
      if (seen.content !== marker.content) {
        throw new PrecheckRefusal(
          'shared-storage',
          `no shared storage: the marker read on ${destination.name} differs from the one written on ${source.name}`,
          422,
        );
      }
      return `marker ${marker.markerId} written on ${source.name}, read on ${destination.name}`;
    } finally {
      // The marker's removal is housekeeping: the check does not wait for it.
      void writer.deleteMarker(marker.markerId, source.instancesPath).catch(() => undefined);
    }
  }
}
