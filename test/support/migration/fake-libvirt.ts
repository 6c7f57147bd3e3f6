import { setTimeout as sleep } from 'node:timers/promises';
import {
  LibvirtError,
  type DirtyRate,
  type DomainStatsRecord,
  type NodeCpuStats,
  type NodeMemoryStats,
  type DomainEvent,
  type DomainRef,
  type DomainStateName,
  type HostConnectionRef,
  type JobStats,
  type LibvirtRepository,
  type MigrateRequest,
} from '../../../src/migration/libvirt';

const PAGE = 4096;

export interface FakeGuest {
  uuid: string;
  state: DomainStateName;
  ramBytes: number;
  /** Bytes the guest dirties per second while it runs. */
  dirtyRateBytesPerSec: number;
  /** Busy fraction of its vCPU (cpu.time grows by this × wall time while it runs). */
  cpuLoad?: number;
  /** balloon.rss; all of ramBytes when unset. */
  rssBytes?: number;
  /** The state's reason code (virDomainPausedReason, ...); 1 when unset. */
  reason?: number;
}

interface Job {
  remaining: number;
  processed: number;
  iteration: number;
  maxDowntimeMs: number;
  bandwidthBytesPerSec: number;
  aborted: boolean;
  startedAt: number;
}

/**
 * An in-memory libvirt for engine tests: pre-copy rounds at a set link rate, switchover when the
 * remainder fits the max downtime, abort, failures, events and COMPLETED stats on the destination.
 */
export class FakeLibvirt implements LibvirtRepository {
  readonly hosts = new Map<string, Map<string, FakeGuest>>();
  readonly down = new Set<string>();
  readonly setMaxDowntimeCalls: number[] = [];
  readonly migrateRequests: MigrateRequest[] = [];
  bandwidthBytesPerSec = 200 * 1024 * 1024;
  tickMs = 20;
  concurrentMigrations = 0;
  peakConcurrentMigrations = 0;
  /** Set to make the next migrations fail mid-copy with this error. */
  failWith: LibvirtError | null = null;
  private readonly jobs = new Map<string, Job>();
  private readonly completed = new Map<string, JobStats>();
  private readonly listeners = new Map<string, Set<(e: DomainEvent) => void>>();

  addHost(uri: string): void {
    this.hosts.set(uri, new Map());
  }

  addGuest(uri: string, name: string, guest: Partial<FakeGuest> = {}): void {
    this.hosts.get(uri)!.set(name, {
      uuid: guest.uuid ?? crypto.randomUUID(),
      state: 'running',
      ramBytes: 64 * 1024 * 1024,
      dirtyRateBytesPerSec: 0,
      ...guest,
    });
  }

  whereIs(name: string): { uri: string; state: DomainStateName }[] {
    return [...this.hosts].flatMap(([uri, guests]) => (guests.has(name) ? [{ uri, state: guests.get(name)!.state }] : []));
  }

  async connect(uri: string): Promise<HostConnectionRef> {
    if (!this.hosts.has(uri) || this.down.has(uri))
      throw new LibvirtError(`unable to connect to server at '${uri}': Connection refused`, 38, 7);
    return { uri };
  }

  async disconnect(): Promise<void> {}

  async hostname(c: HostConnectionRef): Promise<string> {
    return new URL(c.uri).hostname;
  }

  async nodeInfo() {
    return { model: 'x86_64', memoryKiB: 8 * 1024 * 1024, cpus: 4, mhz: 2000, nodes: 1, sockets: 1, cores: 4, threads: 1 };
  }

  /** The lab's libvirt 9.0.0 and QEMU 7.2.0. */
  async versions(): Promise<{ hypervisor: number; library: number }> {
    return { hypervisor: 7_002_000, library: 9_000_000 };
  }

  async capabilities(): Promise<string> {
    return '<capabilities><host><cpu><arch>x86_64</arch><model>qemu64</model></cpu></host></capabilities>';
  }

  async compareCpu(): Promise<'identical'> {
    return 'identical';
  }

  async lookupDomain(c: HostConnectionRef, name: string): Promise<DomainRef> {
    const guest = this.hosts.get(c.uri)?.get(name);
    if (!guest) throw new LibvirtError(`Domain not found: no domain with matching name '${name}'`, 42, 10);
    return { name, uuid: guest.uuid, hostUri: c.uri };
  }

  async domainState(d: DomainRef) {
    return { state: this.guest(d).state, reason: this.guest(d).reason ?? 1 };
  }

  async domainInfo(d: DomainRef) {
    const g = this.guest(d);
    return { state: g.state, maxMemKiB: g.ramBytes / 1024, memoryKiB: g.ramBytes / 1024, vcpus: 1, cpuTimeNs: 0 };
  }

  async start(d: DomainRef): Promise<void> {
    this.guest(d).state = 'running';
  }

  async suspend(d: DomainRef): Promise<void> {
    this.guest(d).state = 'paused';
    this.guest(d).dirtyRateBytesPerSec = 0;
  }

  async resume(d: DomainRef): Promise<void> {
    this.guest(d).state = 'running';
  }

  async destroy(d: DomainRef): Promise<void> {
    this.guest(d).state = 'shutoff';
  }

  async migrate(d: DomainRef, request: MigrateRequest): Promise<void> {
    this.migrateRequests.push(request);
    const guest = this.guest(d);
    const destinationUri = request.destinationUri!;
    const key = `${d.hostUri}/${d.name}`;
    const job: Job = {
      remaining: guest.ramBytes,
      processed: 0,
      iteration: 1,
      maxDowntimeMs: request.params.maxDowntimeMs ?? 300,
      bandwidthBytesPerSec: request.params.bandwidthMiBps ? request.params.bandwidthMiBps * 1024 * 1024 : this.bandwidthBytesPerSec,
      aborted: false,
      startedAt: Date.now(),
    };
    this.jobs.set(key, job);
    this.peakConcurrentMigrations = Math.max(this.peakConcurrentMigrations, ++this.concurrentMigrations);
    try {
      let roundLeft = job.remaining;
      for (;;) {
        await sleep(this.tickMs);
        if (job.aborted) throw new LibvirtError('operation aborted: migration out job: canceled by client', 78, 10);
        if (this.failWith) throw this.failWith;
        if (this.down.has(destinationUri)) throw new LibvirtError('operation failed: migration out job: unexpectedly failed', 9, 10);
        const sent = Math.min(job.bandwidthBytesPerSec * (this.tickMs / 1000), job.remaining);
        job.remaining -= sent;
        job.processed += sent;
        roundLeft -= sent;
        job.remaining = Math.min(guest.ramBytes, job.remaining + guest.dirtyRateBytesPerSec * (this.tickMs / 1000));
        if (roundLeft <= 0) {
          job.iteration++;
          roundLeft = job.remaining;
        }
        if ((job.remaining / job.bandwidthBytesPerSec) * 1000 <= job.maxDowntimeMs) break;
      }
      // Stop-and-copy: the source pauses, the rest goes over, the guest resumes on the destination.
      guest.state = 'paused';
      this.emit(d.hostUri, {
        kind: 'lifecycle',
        domain: { name: d.name, uuid: d.uuid },
        event: 'suspended',
        detail: 'migrated',
        detailCode: 1,
      });
      const downtimeMs = Math.max(1, Math.round((job.remaining / job.bandwidthBytesPerSec) * 1000));
      await sleep(downtimeMs);
      this.hosts.get(d.hostUri)!.delete(d.name);
      this.hosts.get(destinationUri)!.set(d.name, { ...guest, state: 'running' });
      this.completed.set(`${destinationUri}/${d.name}`, {
        type: 'completed',
        completed: true,
        timeElapsed: Date.now() - job.startedAt,
        downtime: downtimeMs,
        setupTime: 2,
        dataProcessed: job.processed + job.remaining,
        memoryIteration: job.iteration,
      });
    } finally {
      this.jobs.delete(key);
      this.concurrentMigrations--;
    }
  }

  async jobStats(d: DomainRef, options: { completed?: boolean } = {}): Promise<JobStats> {
    if (options.completed) {
      const done = this.completed.get(`${d.hostUri}/${d.name}`);
      if (!done) return { type: 'none', completed: true };
      return done;
    }
    const job = this.jobs.get(`${d.hostUri}/${d.name}`);
    if (!job) return { type: 'none', completed: false };
    const guest = this.guest(d);
    return {
      type: 'unbounded',
      completed: false,
      timeElapsed: Date.now() - job.startedAt,
      dataTotal: guest.ramBytes,
      dataProcessed: job.processed,
      dataRemaining: job.remaining,
      memoryDirtyRate: guest.dirtyRateBytesPerSec / PAGE,
      memoryIteration: job.iteration,
      memoryBps: job.bandwidthBytesPerSec,
    };
  }

  async abortJob(d: DomainRef): Promise<void> {
    const job = this.jobs.get(`${d.hostUri}/${d.name}`);
    if (!job) throw new LibvirtError('Requested operation is not valid: no job is active on the domain', 55, 10);
    job.aborted = true;
  }

  async setMaxDowntime(d: DomainRef, downtimeMs: number): Promise<void> {
    this.setMaxDowntimeCalls.push(downtimeMs);
    const job = this.jobs.get(`${d.hostUri}/${d.name}`);
    if (job) job.maxDowntimeMs = downtimeMs;
  }

  async setMaxSpeed(d: DomainRef, bandwidthMiBps: number): Promise<void> {
    const job = this.jobs.get(`${d.hostUri}/${d.name}`);
    if (job) job.bandwidthBytesPerSec = bandwidthMiBps * 1024 * 1024;
  }

  async startPostCopy(): Promise<void> {
    throw new LibvirtError('post-copy is not modelled by the fake', 84, 10);
  }

  async pausePostCopy(): Promise<void> {
    throw new LibvirtError('post-copy is not modelled by the fake', 84, 10);
  }

  async onDomainEvent(c: HostConnectionRef, listener: (event: DomainEvent) => void): Promise<() => Promise<void>> {
    const set = this.listeners.get(c.uri) ?? new Set();
    set.add(listener);
    this.listeners.set(c.uri, set);
    return async () => {
      set.delete(listener);
    };
  }

  async nodeCpuStats(): Promise<NodeCpuStats> {
    const ns = Date.now() * 1e6;
    return { kernelNs: ns / 10, userNs: ns / 10, idleNs: ns, iowaitNs: 0 };
  }

  async nodeMemoryStats(): Promise<NodeMemoryStats> {
    return { totalKiB: 8 * 1024 * 1024, freeKiB: 4 * 1024 * 1024, buffersKiB: 0, cachedKiB: 0 };
  }

  async domainStats(c: HostConnectionRef): Promise<DomainStatsRecord[]> {
    const guests = this.hosts.get(c.uri);
    if (!guests || this.down.has(c.uri)) throw new LibvirtError(`unable to connect to server at '${c.uri}': Connection refused`, 38, 7);
    // cpu.time as if the guest had been busy at cpuLoad since the epoch: deltas give the load.
    return [...guests].map(([name, g]) => ({
      name,
      uuid: g.uuid,
      cpuTimeNs: g.state === 'running' ? Date.now() * 1e6 * (g.cpuLoad ?? 0) : 0,
      balloonRssKiB: (g.rssBytes ?? g.ramBytes) / 1024,
      params: {},
    }));
  }

  async dirtyRate(d: DomainRef): Promise<DirtyRate> {
    return { status: 'measured', megabytesPerSecond: this.guest(d).dirtyRateBytesPerSec / 1024 / 1024, calcPeriodS: 1 };
  }

  private guest(d: DomainRef): FakeGuest {
    const guest = this.hosts.get(d.hostUri)?.get(d.name);
    if (!guest) throw new LibvirtError(`Domain not found: no domain with matching name '${d.name}'`, 42, 10);
    return guest;
  }

  private emit(uri: string, event: DomainEvent): void {
    for (const l of this.listeners.get(uri) ?? []) l(event);
  }
}
