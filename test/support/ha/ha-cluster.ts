import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AGENT_CLIENT_FACTORY } from '../../../src/agents/agent-directory.service';
import { LIBVIRT_REPOSITORY } from '../../../src/migration/libvirt';
import { FakeAgents } from '../migration/fake-agents';
import { auth, OPERATOR, sampleHost, startTestApp } from '../api/test-app';
import { CountingLibvirt, ReplicaGate } from './ha-world';

export interface Replica {
  id: string;
  app: NestExpressApplication;
  gate: ReplicaGate;
  http: () => ReturnType<typeof request>;
}

/** Several controllers of the real AppModule on one database, sharing one fake libvirt and one set of fake agents. */
export class HaCluster {
  readonly libvirt = new CountingLibvirt();
  readonly agents = new FakeAgents();
  readonly replicas: Replica[] = [];
  readonly hostIds = new Map<string, string>();
  readonly hostUris = new Map<string, string>();
  private started = 0;

  constructor(
    readonly databaseUrl: string,
    private readonly env: Record<string, string> = {},
  ) {}

  async start(extraEnv: Record<string, string> = {}): Promise<Replica> {
    const id = `replica-${++this.started}`;
    const gate = new ReplicaGate(this.libvirt, this.agents);
    const app = await startTestApp({
      databaseUrl: this.databaseUrl,
      env: {
        LIVEMIG_MONITOR_INTERVAL_MS: '50',
        LIVEMIG_CAPTURE_TAIL_MS: '0',
        LIVEMIG_LEASE_MS: '3000',
        LIVEMIG_LEADER_RETRY_MS: '500',
        LIVEMIG_REPLICA_ID: id,
        ...this.env,
        ...extraEnv,
      },
      overrides: [
        { token: LIBVIRT_REPOSITORY, value: gate.libvirt() },
        { token: AGENT_CLIENT_FACTORY, value: gate.agentFactory },
      ],
    });
    const replica: Replica = { id, app, gate, http: () => request(app.getHttpServer()) };
    this.replicas.push(replica);
    return replica;
  }

  /** The replica's SIGKILL: the world stops hearing from it and its database sessions end (its advisory locks free). */
  async kill(replica: Replica): Promise<void> {
    replica.gate.kill();
    await replica.app.get(DataSource).destroy();
    this.replicas.splice(this.replicas.indexOf(replica), 1);
  }

  async close(): Promise<void> {
    for (const r of this.replicas.splice(0)) await r.app.close().catch(() => undefined);
  }

  /** Round robin over the live replicas. */
  replica(i: number): Replica {
    return this.replicas[i % this.replicas.length];
  }

  async addHost(name: string, ip: string, memoryMiB = 65_536): Promise<string> {
    const uri = `qemu+tcp://${ip}/system`;
    this.libvirt.addHost(uri);
    const res = await this.replica(0)
      .http()
      .post('/hosts')
      .set(auth(OPERATOR))
      .send(
        sampleHost(name, {
          libvirtUri: uri,
          migrationAddress: ip,
          memoryMiB,
          vcpus: 64,
          agentEndpoint: `http://${ip}:7070`,
          agentToken: `agent-token-${name}`,
        }),
      );
    if (res.status !== 201) throw new Error(`host ${name}: ${res.status} ${JSON.stringify(res.body)}`);
    this.hostIds.set(name, res.body.id);
    this.hostUris.set(name, uri);
    return res.body.id;
  }

  async addGuest(host: string, domain: string, flavorId: string, guest: Parameters<CountingLibvirt['addGuest']>[2] = {}): Promise<string> {
    this.libvirt.addGuest(this.hostUris.get(host)!, domain, guest);
    const res = await this.replica(0)
      .http()
      .post('/instances')
      .set(auth(OPERATOR))
      .send({ name: domain, domainName: domain, domainUuid: crypto.randomUUID(), flavorId, hostId: this.hostIds.get(host) });
    if (res.status !== 201) throw new Error(`instance ${domain}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  }

  async addFlavor(name: string, ramMiB: number): Promise<string> {
    const res = await this.replica(0).http().post('/flavors').set(auth(OPERATOR)).send({ name, vcpus: 1, ramMiB, diskGiB: 0 });
    return res.body.id;
  }

  /** Which host libvirt runs the domain on (running copies only). */
  runningOn(domain: string): string[] {
    const names = new Map([...this.hostUris].map(([name, uri]) => [uri, name]));
    return this.libvirt
      .whereIs(domain)
      .filter((w) => w.state === 'running')
      .map((w) => names.get(w.uri) ?? w.uri);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `done` holds; returns the ms it took. The bound is generous: tests wait for what happens, they do not time it. */
export async function waitFor(what: string, done: () => Promise<boolean> | boolean, boundMs = 60_000): Promise<number> {
  const startedAt = Date.now();
  for (;;) {
    if (await done()) return Date.now() - startedAt;
    if (Date.now() - startedAt > boundMs) throw new Error(`${what}: not within ${boundMs} ms`);
    await sleep(50);
  }
}
