import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_CLIENT_FACTORY } from '../../src/agents/agent-directory.service';
import { FakeAgents } from '../support/migration/fake-agents';
import { ANALYST, auth, OPERATOR, sampleHost, startTestApp } from '../support/api/test-app';
import { createTestDatabase, type TestDatabase } from '../support/api/test-database';

interface Peer {
  peer: { kind: string; instanceId?: string };
  now: {
    reachable: boolean;
    class?: string;
    tunnelCrossings?: number;
    routedOn?: string[];
    hops?: Array<{ host: string; device: string }>;
  };
  after: { class?: string; tunnelCrossings?: number; routedOn?: string[] } | null;
  classChanged: boolean;
}

describe('GET /paths', () => {
  let db: TestDatabase;
  let app: NestExpressApplication;
  const agents = new FakeAgents();
  const http = () => request(app.getHttpServer());
  const op = <T extends request.Test>(t: T) => t.set(auth(OPERATOR));
  const get = (query: string) => http().get(`/paths?${query}`).set(auth(ANALYST));
  const byPeer = (peers: Peer[], id: string) => peers.find((p) => (p.peer.instanceId ?? p.peer.kind) === id);

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    app = await startTestApp({ databaseUrl: db.url, overrides: [{ token: AGENT_CLIENT_FACTORY, value: agents.factory }] });
    for (const [i, name] of ['path-a', 'path-b'].entries()) {
      const ip = `192.0.2.${41 + i}`;
      const res = await op(http().post('/hosts')).send(
        sampleHost(name, {
          migrationAddress: ip,
          agentEndpoint: `http://${ip}:7070`,
          agentToken: `agent-token-${name}`,
          vtepIp: `198.51.100.${41 + i}`,
        }),
      );
      expect(res.status).toBe(201);
    }
    const net = async (name: string, vni: number, external = false) =>
      (await op(http().post('/networks')).send({ name, vni, external })).body.id as string;
    const sub = async (networkId: string, cidr: string) => (await op(http().post('/subnets')).send({ networkId, cidr })).body.id as string;
    const s1 = await sub(await net('path-1', 801), '10.81.0.0/24');
    const s2 = await sub(await net('path-2', 802), '10.82.0.0/24');
    const ext = await net('path-ext', 899, true);
    await sub(ext, '203.0.113.0/24');
    const router = await op(http().post('/routers')).send({ name: 'path-r', externalNetworkId: ext });
    expect(router.status).toBe(201);
    for (const subnetId of [s1, s2])
      expect((await op(http().post(`/routers/${router.body.id}/interfaces`)).send({ subnetId })).status).toBe(201);
    const port = async (subnetId: string, host: string, deviceId: string) => {
      const res = await op(http().post('/ports')).send({ subnetId, host, deviceId });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const mover = await port(s1, 'path-a', 'vm-mover');
    await port(s2, 'path-a', 'vm-local-other-subnet');
    await port(s1, 'path-b', 'vm-remote-same-subnet');
    expect((await op(http().post('/floating-ips')).send({ networkId: ext, portId: mover })).status).toBe(201);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it("lists each peer's class and path now (DVR): the routed local peer never crosses the tunnel", async () => {
    const res = await get('instance=vm-mover');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ instanceId: 'vm-mover', destination: null, changed: [] });
    const peers = res.body.peers as Peer[];
    expect(byPeer(peers, 'vm-local-other-subnet')?.now).toMatchObject({
      class: 'intra-node-inter-subnet',
      tunnelCrossings: 0,
      routedOn: ['path-a'],
    });
    expect(byPeer(peers, 'vm-remote-same-subnet')?.now).toMatchObject({ class: 'inter-node-intra-subnet', tunnelCrossings: 1 });
    expect(byPeer(peers, 'external')?.now).toMatchObject({ class: 'north-south-floating-ip', routedOn: ['path-a'] });
    expect(peers.every((p) => p.after === null)).toBe(true);
  });

  it('shows what a migration to a destination would change, and lists the peers whose class changed', async () => {
    const res = await get('instance=vm-mover&destination=path-b');
    expect(res.status).toBe(200);
    expect(res.body.destination).toMatchObject({ name: 'path-b' });
    const peers = res.body.peers as Peer[];
    expect(byPeer(peers, 'vm-local-other-subnet')).toMatchObject({
      classChanged: true,
      after: { class: 'inter-node-inter-subnet', tunnelCrossings: 1 },
    });
    expect(byPeer(peers, 'vm-remote-same-subnet')).toMatchObject({
      classChanged: true,
      after: { class: 'intra-node-intra-subnet', tunnelCrossings: 0 },
    });
    expect(byPeer(peers, 'external')).toMatchObject({ classChanged: false, after: { routedOn: ['path-b'] } });
    expect(
      res.body.changed
        .map((c: { peer: { instanceId: string }; from: string; to: string }) => [c.peer.instanceId, c.from, c.to])
        .sort((x: string[], y: string[]) => String(x[0]).localeCompare(String(y[0]))),
    ).toEqual([
      ['vm-local-other-subnet', 'intra-node-inter-subnet', 'inter-node-inter-subnet'],
      ['vm-remote-same-subnet', 'inter-node-intra-subnet', 'intra-node-intra-subnet'],
    ]);
  });

  it('refuses bad input with a reason: no instance (400), unknown instance (404), unknown destination (422), no token (401)', async () => {
    const missing = await http().get('/paths').set(auth(ANALYST));
    expect(missing.status).toBe(400);
    expect(missing.body.details).toEqual([expect.objectContaining({ field: 'instance' })]);
    const unknown = await get('instance=nobody');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('instance nobody is neither in the inventory nor the device of a port');
    const host = await get('instance=vm-mover&destination=nowhere');
    expect(host.status).toBe(422);
    expect(host.body.message).toBe('destination nowhere is not a known host');
    expect((await http().get('/paths?instance=vm-mover')).status).toBe(401);
    const extra = await get('instance=vm-mover&bogus=1');
    expect(extra.status).toBe(400);
  });

  it('is in the OpenAPI document with its query parameters', async () => {
    const doc = await http().get('/api/docs-json');
    const op = doc.body.paths?.['/paths']?.get;
    expect(op?.parameters?.map((p: { name: string }) => p.name).sort()).toEqual(['destination', 'instance']);
    expect(doc.body.components.schemas.InstancePathsDto).toBeDefined();
  });
});
