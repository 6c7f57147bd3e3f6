import type { AgentClient, AgentClientFactory } from '../../../src/agents/client/agent.client';
import type { DomainRef, MigrateRequest } from '../../../src/migration/libvirt';
import { FakeAgents } from '../migration/fake-agents';
import { FakeLibvirt } from '../migration/fake-libvirt';

/** The fake libvirt of a cluster, counting migrations at once per source and per destination as well. */
export class CountingLibvirt extends FakeLibvirt {
  private readonly outbound = new Map<string, number>();
  private readonly inbound = new Map<string, number>();
  readonly peakOutbound = new Map<string, number>();
  readonly peakInbound = new Map<string, number>();
  /** Every migrate call, in start order: which domain from where to where. */
  readonly starts: { domain: string; sourceUri: string; destinationUri: string; at: number }[] = [];

  override async migrate(d: DomainRef, request: MigrateRequest): Promise<void> {
    const destination = request.destinationUri ?? '';
    this.starts.push({ domain: d.name, sourceUri: d.hostUri, destinationUri: destination, at: Date.now() });
    bump(this.outbound, this.peakOutbound, d.hostUri, 1);
    bump(this.inbound, this.peakInbound, destination, 1);
    try {
      await super.migrate(d, request);
    } finally {
      bump(this.outbound, this.peakOutbound, d.hostUri, -1);
      bump(this.inbound, this.peakInbound, destination, -1);
    }
  }

  /** How often each domain was migrated (a guest moved twice shows 2). */
  migrationsOf(domain: string): number {
    return this.starts.filter((s) => s.domain === domain).length;
  }

  resetPeaks(): void {
    this.peakConcurrentMigrations = this.concurrentMigrations;
    this.peakOutbound.clear();
    this.peakInbound.clear();
    this.starts.length = 0;
  }
}

function bump(now: Map<string, number>, peak: Map<string, number>, key: string, by: number): void {
  const n = (now.get(key) ?? 0) + by;
  now.set(key, n);
  peak.set(key, Math.max(peak.get(key) ?? 0, n));
}

/**
 * What one replica's process reaches of the shared world. `kill()` is its SIGKILL as the world sees it:
 * nothing it asks from then on is answered (calls hang), while what libvirt already runs for it (a
 * migration job) goes on, as a real job outlives its controller.
 */
export class ReplicaGate {
  dead = false;
  readonly agentCalls = new Map<string, number>();

  constructor(
    private readonly libvirtWorld: FakeLibvirt,
    private readonly agentWorld: FakeAgents,
  ) {}

  readonly libvirt = (): FakeLibvirt => this.gated(this.libvirtWorld, () => undefined);

  readonly agentFactory: AgentClientFactory = (endpoint) =>
    this.gated(this.agentWorld.factory(endpoint), (method) => this.agentCalls.set(method, (this.agentCalls.get(method) ?? 0) + 1));

  kill(): void {
    this.dead = true;
  }

  private gated<T extends object>(target: T, count: (method: string) => void): T {
    return new Proxy(target, {
      get: (t, prop, receiver) => {
        const value: unknown = Reflect.get(t, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (this.dead) return new Promise(() => undefined);
          count(String(prop));
          // Callbacks it registered (domain events) stop reaching a dead process too.
          const live = args.map((a) =>
            typeof a === 'function' ? (...x: unknown[]) => (this.dead ? undefined : (a as (...y: unknown[]) => unknown)(...x)) : a,
          );
          return (value as (...a: unknown[]) => unknown).apply(t, live);
        };
      },
    });
  }
}

export type { AgentClient };
