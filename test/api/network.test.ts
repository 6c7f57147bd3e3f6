import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AGENT_CLIENT_FACTORY } from '../../src/agents/agent-directory.service';
import type { HostNetworkState } from '../../src/agents/protocol';
import { NetworkFollowService } from '../../src/network/follow/network-follow.service';
import { NetworkRevisionRepository } from '../../src/network/repositories/network-revision.repository';
import { FakeAgents } from '../support/migration/fake-agents';
import { ANALYST, auth, OPERATOR, sampleHost, startTestApp } from '../support/api/test-app';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../support/api/test-database';

const VTEP = { 'net-a': '198.51.100.1', 'net-b': '198.51.100.2', 'net-c': '198.51.100.3' } as const;
type HostName = keyof typeof VTEP;

/** The state without its revision, to compare two compiles of the same model. */
const shape = ({ revision: _revision, ...rest }: HostNetworkState) => rest;

/** Sorted by host name, so the order does not depend on timestamps of the same second. */
const byHost = <T extends { host: string }>(items: T[]) => [...items].sort((a, b) => a.host.localeCompare(b.host));

describe.each<DatabaseKind>(['sqlite', 'postgres'])('network API on %s', (kind) => {
  let db: TestDatabase;
  let app: NestExpressApplication;
  const agents = new FakeAgents();
  const hostIds: Record<string, string> = {};
  const http = () => request(app.getHttpServer());
  const op = <T extends request.Test>(t: T) => t.set(auth(OPERATOR));

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    app = await startTestApp({
      databaseUrl: db.url,
      env: { LIVEMIG_NETWORK_RESYNC_MS: '200', LIVEMIG_HEARTBEAT_MS: '50' },
      overrides: [{ token: AGENT_CLIENT_FACTORY, value: agents.factory }],
    });
    for (const [i, name] of (['net-a', 'net-b', 'net-c', 'net-d'] as const).entries()) {
      const ip = `192.0.2.${21 + i}`;
      const res = await op(http().post('/hosts')).send(
        sampleHost(name, {
          migrationAddress: ip,
          agentEndpoint: `http://${ip}:7070`,
          agentToken: `agent-token-${name}`,
          ...(name in VTEP ? { vtepIp: VTEP[name as HostName] } : {}),
        }),
      );
      expect(res.status).toBe(201);
      hostIds[name] = res.body.id;
    }
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  afterEach(() => agents.down.clear());

  const lastPush = (host: HostName): HostNetworkState => {
    const pushes = agents.network.get(host)?.pushes ?? [];
    expect(pushes.length).toBeGreaterThan(0);
    return pushes[pushes.length - 1];
  };
  const desired = async (host: HostName): Promise<HostNetworkState> => {
    const res = await http().get(`/network/hosts/${host}/desired-state`).set(auth(ANALYST));
    expect(res.status).toBe(200);
    return res.body;
  };
  const fdbOf = (state: HostNetworkState, mac: string) => state.networks.flatMap((n) => n.fdb).find((e) => e.mac === mac)?.vtepIp;

  async function network(name: string, vni: number, external = false): Promise<string> {
    const res = await op(http().post('/networks')).send({ name, vni, external });
    expect(res.status).toBe(201);
    return res.body.id;
  }
  async function subnet(networkId: string, cidr: string): Promise<{ id: string; gatewayIp: string }> {
    const res = await op(http().post('/subnets')).send({ networkId, cidr });
    expect(res.status).toBe(201);
    return res.body;
  }

  describe('hosts', () => {
    it('get no push while no tenant network is modelled and livemig never managed them (their own bridges stay)', async () => {
      await new Promise((r) => setTimeout(r, 600));
      const res = await op(http().post('/network/sync'));
      expect(res.status).toBeLessThan(300);
      for (const host of Object.keys(VTEP)) expect(agents.network.get(host)?.pushes ?? [], host).toEqual([]);
    });

    it('take a VTEP address, validated, and show the agent heartbeat fields', async () => {
      const bad = await op(http().post('/hosts')).send(sampleHost('vtep-bad', { vtepIp: '198.51.100.300' }));
      expect(bad.status).toBe(400);
      expect(bad.body.details).toEqual([{ field: 'vtepIp', errors: ['vtepIp must be an IPv4 address'] }]);
      const v6 = await op(http().patch(`/hosts/${hostIds['net-d']}`)).send({ vtepIp: '2001:db8::1' });
      expect(v6.status).toBe(400);
      const host = await http().get(`/hosts/${hostIds['net-a']}`).set(auth(ANALYST));
      expect(host.body).toMatchObject({ vtepIp: VTEP['net-a'] });
      expect(host.body).toHaveProperty('agentState');
      expect(host.body).toHaveProperty('agentLastSeenAt');
    });
  });

  describe('model validation', () => {
    let netId = '';
    let sub = { id: '', gatewayIp: '' };

    beforeAll(async () => {
      netId = await network('val-net', 500);
      sub = await subnet(netId, '10.50.0.0/24');
    });

    it('creates a network and says which hosts the change reached', async () => {
      const res = await op(http().post('/networks')).send({ name: 'val-2', vni: 501, staticVteps: ['192.0.2.200'] });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ vni: 501, mtu: 1450, external: false, staticVteps: ['192.0.2.200'] });
      expect(res.body.sync.hosts.map((h: { host: string }) => h.host)).toEqual(['net-a', 'net-b', 'net-c']);
      expect(res.body.sync.notUpdated).toEqual([]);
      expect(res.body.sync.hosts.every((h: { ok: boolean; revision: number }) => h.ok && h.revision === res.body.sync.revision)).toBe(true);
    });

    it('refuses a taken VNI with 409 and a VNI out of range with 400', async () => {
      const taken = await op(http().post('/networks')).send({ name: 'dup', vni: 500 });
      expect(taken.status).toBe(409);
      expect(taken.body.message).toBe('VNI 500 is taken by network val-net');
      expect((await op(http().post('/networks')).send({ name: 'zero', vni: 0 })).status).toBe(400);
      expect((await op(http().post('/networks')).send({ name: 'big', vni: 16_777_216 })).status).toBe(400);
      const vteps = await op(http().post('/networks')).send({ name: 'v', vni: 502, staticVteps: ['nope'] });
      expect(vteps.status).toBe(400);
      expect(vteps.body.details).toEqual([{ field: 'staticVteps', errors: ['staticVteps must hold IPv4 addresses'] }]);
    });

    it('checks subnets: CIDR syntax (400), gateway and pool inside the CIDR (422), overlaps (409)', async () => {
      const cidr = await op(http().post('/subnets')).send({ networkId: netId, cidr: '10.51.0.1/24' });
      expect(cidr.status).toBe(400);
      expect(cidr.body.details).toEqual([{ field: 'cidr', errors: ['cidr: host bits are set; did you mean 10.51.0.0/24?'] }]);
      const gateway = await op(http().post('/subnets')).send({ networkId: netId, cidr: '10.52.0.0/24', gatewayIp: '10.53.0.1' });
      expect(gateway.status).toBe(422);
      expect(gateway.body.message).toBe('gatewayIp 10.53.0.1 is not a host address of 10.52.0.0/24');
      const pool = await op(http().post('/subnets')).send({
        networkId: netId,
        cidr: '10.52.0.0/24',
        allocationPool: { start: '10.52.0.10', end: '10.52.1.5' },
      });
      expect(pool.status).toBe(422);
      expect(pool.body.details).toEqual({ field: 'allocationPool.end' });
      const overlap = await op(http().post('/subnets')).send({ networkId: netId, cidr: '10.50.0.128/25' });
      expect(overlap.status).toBe(409);
      expect(overlap.body.message).toContain('overlaps subnet 10.50.0.0/24');
      const unknown = await op(http().post('/subnets')).send({ networkId: '3f1f7e38-27b3-4d5a-9a64-2f4f1d9b8c11', cidr: '10.54.0.0/24' });
      expect(unknown.status).toBe(422);
    });

    it('generates MACs and allocates IPs; refuses IPs outside the subnet (422), taken IPs and MACs (409), unknown hosts (422)', async () => {
      const first = await op(http().post('/ports')).send({ subnetId: sub.id });
      expect(first.status).toBe(201);
      expect(first.body.mac).toMatch(/^fa:16:3e(:[0-9a-f]{2}){3}$/);
      expect(first.body).toMatchObject({ fixedIp: '10.50.0.2', deviceOwner: 'compute', bindings: [], networkId: netId });
      const outside = await op(http().post('/ports')).send({ subnetId: sub.id, fixedIp: '10.99.0.5' });
      expect(outside.status).toBe(422);
      expect(outside.body.message).toBe('fixedIp 10.99.0.5 is not a host address of subnet 10.50.0.0/24');
      const taken = await op(http().post('/ports')).send({ subnetId: sub.id, fixedIp: '10.50.0.2' });
      expect(taken.status).toBe(409);
      expect(taken.body.message).toBe('IP 10.50.0.2 is in use on subnet 10.50.0.0/24');
      const gateway = await op(http().post('/ports')).send({ subnetId: sub.id, fixedIp: '10.50.0.1' });
      expect(gateway.status).toBe(409);
      const mac = await op(http().post('/ports')).send({ subnetId: sub.id, mac: first.body.mac });
      expect(mac.status).toBe(409);
      expect(mac.body.message).toContain('is in use by another port');
      const badMac = await op(http().post('/ports')).send({ subnetId: sub.id, mac: '01:00:5e:00:00:01' });
      expect(badMac.status).toBe(400);
      const host = await op(http().post('/ports')).send({ subnetId: sub.id, host: 'no-such-host' });
      expect(host.status).toBe(422);
      expect(host.body.message).toBe('host no-such-host is not a known host');
      const owner = await op(http().post('/ports')).send({ subnetId: sub.id, deviceOwner: 'router_interface' });
      expect(owner.status).toBe(400);
      const second = await op(http().post('/ports')).send({ subnetId: sub.id });
      expect(second.body.fixedIp).toBe('10.50.0.3');
    });

    it('refuses a floating IP on a non-external network (422) and an analyst mutation (403)', async () => {
      const fip = await op(http().post('/floating-ips')).send({ networkId: netId });
      expect(fip.status).toBe(422);
      expect(fip.body.message).toBe('network val-net is not external; floating IPs come from external networks');
      const analyst = await http().post('/networks').set(auth(ANALYST)).send({ name: 'x', vni: 503 });
      expect(analyst.status).toBe(403);
    });

    it('keeps a network with subnets (409) and deletes an empty one', async () => {
      const busy = await op(http().delete(`/networks/${netId}`));
      expect(busy.status).toBe(409);
      expect(busy.body.message).toContain('is in use');
      const empty = await network('val-empty', 504);
      const gone = await op(http().delete(`/networks/${empty}`));
      expect(gone.status).toBe(200);
      expect(gone.body).toMatchObject({ deleted: empty, sync: { notUpdated: [] } });
      expect((await http().get(`/networks/${empty}`).set(auth(ANALYST))).status).toBe(404);
    });
  });

  describe('port bindings', () => {
    let portId = '';

    beforeAll(async () => {
      const net = await network('bind-net', 600);
      const sub = await subnet(net, '10.60.0.0/24');
      const port = await op(http().post('/ports')).send({ subnetId: sub.id, host: 'net-a', deviceId: 'bind-instance' });
      expect(port.status).toBe(201);
      portId = port.body.id;
      expect(port.body.bindings).toEqual([
        {
          host: 'net-a',
          hostId: hostIds['net-a'],
          status: 'ACTIVE',
          vifDetails: { vifType: 'bridge', bridge: 'brq600', tap: `tap${portId.replace(/-/g, '').slice(0, 11)}` },
        },
      ]);
    });

    it('creates INACTIVE bindings, activates one at a time, and protects the ACTIVE one', async () => {
      const created = await op(http().post(`/ports/${portId}/bindings`)).send({ host: 'net-b' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ host: 'net-b', status: 'INACTIVE' });
      expect(created.body.sync.hosts).toHaveLength(3);

      const again = await op(http().post(`/ports/${portId}/bindings`)).send({ host: hostIds['net-b'] });
      expect(again.status).toBe(409);
      expect(again.body.message).toBe(`port ${portId} already has a binding on net-b`);
      const unknown = await op(http().post(`/ports/${portId}/bindings`)).send({ host: 'nowhere' });
      expect(unknown.status).toBe(422);

      const deleteActive = await op(http().delete(`/ports/${portId}/bindings/net-a`));
      expect(deleteActive.status).toBe(409);
      expect(deleteActive.body.message).toContain('is ACTIVE; activate another binding before deleting it');

      const activated = await op(http().put(`/ports/${portId}/bindings/net-b/activate`));
      expect(activated.status).toBe(200);
      expect(activated.body).toMatchObject({ host: 'net-b', status: 'ACTIVE' });
      const list = await http().get(`/ports/${portId}/bindings`).set(auth(ANALYST));
      expect(byHost<{ host: string; status: string }>(list.body).map((b) => [b.host, b.status])).toEqual([
        ['net-a', 'INACTIVE'],
        ['net-b', 'ACTIVE'],
      ]);
      const twice = await op(http().put(`/ports/${portId}/bindings/net-b/activate`));
      expect(twice.status).toBe(409);
      expect(twice.body.message).toContain('already ACTIVE');

      expect((await op(http().delete(`/ports/${portId}/bindings/net-a`))).status).toBe(200);
      expect((await op(http().delete(`/ports/${portId}/bindings/net-a`))).status).toBe(404);
      const port = await http().get(`/ports/${portId}`).set(auth(ANALYST));
      expect(port.body.bindings).toEqual([
        { host: 'net-b', hostId: hostIds['net-b'], status: 'ACTIVE', vifDetails: expect.objectContaining({ bridge: 'brq600' }) },
      ]);
    });
  });

  describe('live migration follow (DVR, floating IP)', () => {
    const instanceId = '9d7b2c1e-0000-4000-8000-000000000001';
    let vm1 = { id: '', mac: '' };
    let vm2Mac = '';
    let fipAddress = '';
    let follow: NetworkFollowService;

    beforeAll(async () => {
      follow = app.get(NetworkFollowService);
      const tenant = await network('tenant', 1000);
      const tenantSub = await subnet(tenant, '10.0.0.0/24');
      const ext = await network('public', 2000, true);
      await subnet(ext, '203.0.113.0/24');
      const router = await op(http().post('/routers')).send({ name: 'r1', externalNetworkId: ext });
      expect(router.status).toBe(201);
      expect(router.body).toMatchObject({ distributed: true, externalNetworkId: ext, gateway: { ip: '203.0.113.2' } });
      const iface = await op(http().post(`/routers/${router.body.id}/interfaces`)).send({ subnetId: tenantSub.id });
      expect(iface.status).toBe(201);
      expect(iface.body.interfaces).toEqual([expect.objectContaining({ subnetId: tenantSub.id, ip: '10.0.0.1' })]);
      const dup = await op(http().post(`/routers/${router.body.id}/interfaces`)).send({ subnetId: tenantSub.id });
      expect(dup.status).toBe(409);
      expect(dup.body.message).toBe('router r1 already has an interface on 10.0.0.0/24');
      const p1 = await op(http().post('/ports')).send({ subnetId: tenantSub.id, host: 'net-a', deviceId: instanceId });
      const p2 = await op(http().post('/ports')).send({ subnetId: tenantSub.id, host: 'net-c', deviceId: 'other-instance' });
      vm1 = { id: p1.body.id, mac: p1.body.mac };
      vm2Mac = p2.body.mac;
      const fip = await op(http().post('/floating-ips')).send({ networkId: ext, portId: vm1.id });
      expect(fip.status).toBe(201);
      expect(fip.body).toMatchObject({ portId: vm1.id, routerId: router.body.id });
      fipAddress = fip.body.address;
      expect(fip.body.sync.notUpdated).toEqual([]);
    });

    it('pushed the pre-migration state: vm1 at A, its FIP in A qrouter and A fip namespace', () => {
      const [a, b, c] = (['net-a', 'net-b', 'net-c'] as const).map(lastPush);
      expect(fdbOf(c, vm1.mac)).toBe(VTEP['net-a']);
      expect(fdbOf(a, vm2Mac)).toBe(VTEP['net-c']);
      expect(a.routers[0]?.floatingIps).toEqual([{ floatingIp: fipAddress, fixedIp: '10.0.0.2' }]);
      expect(a.fipNamespaces).toHaveLength(1);
      expect(b.networks.find((n) => n.vni === 1000)).toBeUndefined();
      expect(c.fipNamespaces).toEqual([]);
    });

    it('an instance without ports gives no steps', async () => {
      expect(await follow.prePlug('no-ports-here', hostIds['net-b'])).toEqual([]);
      expect(await follow.rollback('no-ports-here', hostIds['net-a'], hostIds['net-b'])).toEqual([]);
    });

    it('prePlug → switchover → commit moves the FDB entry to B on every host and the FIP to B', async () => {
      const before = await Promise.all((['net-a', 'net-b', 'net-c'] as const).map(desired));

      const pre = await follow.prePlug(instanceId, hostIds['net-b']);
      expect(pre.map((s) => [s.step, s.host, s.ok])).toEqual([
        ['bind-inactive', 'net-b', true],
        ['sync', 'net-a', true],
        ['sync', 'net-b', true],
        ['sync', 'net-c', true],
      ]);
      expect(Date.parse(pre[0].startedAt)).not.toBeNaN();
      const bPre = lastPush('net-b');
      expect(bPre.routers).toHaveLength(1);
      expect(bPre.routers[0].floatingIps).toEqual([]);
      expect(bPre.fipNamespaces).toHaveLength(1);
      expect(fdbOf(bPre, vm1.mac)).toBe(VTEP['net-a']);
      expect(fdbOf(lastPush('net-c'), vm1.mac)).toBe(VTEP['net-a']);
      expect(lastPush('net-c').networks[0].floodVteps).toEqual([VTEP['net-a'], VTEP['net-b']]);

      // Make before break: every host that changes at switchover holds its delta ready; nothing is pushed yet.
      const armed = await follow.arm(instanceId, hostIds['net-b']);
      expect(armed.map((s) => [s.step, s.host, s.ok]).sort()).toEqual([
        ['arm', 'net-a', true],
        ['arm', 'net-b', true],
        ['arm', 'net-c', true],
      ]);
      expect(lastPush('net-b').routers[0].floatingIps).toEqual([]);
      expect(fdbOf(lastPush('net-c'), vm1.mac)).toBe(VTEP['net-a']);
      expect(agents.network.get('net-b')!.armed.get(instanceId)?.routers[0].floatingIps).toEqual([
        { floatingIp: fipAddress, fixedIp: '10.0.0.2' },
      ]);
      expect(fdbOf(agents.network.get('net-c')!.armed.get(instanceId)!, vm1.mac)).toBe(VTEP['net-b']);

      const sw = await follow.switchover(instanceId, hostIds['net-b']);
      // The fires come first, then the model change and the full push that confirms them.
      expect(sw.slice(0, 3).map((s) => [s.step, s.ok])).toEqual([
        ['fire', true],
        ['fire', true],
        ['fire', true],
      ]);
      expect(sw.filter((s) => s.step !== 'sync' && s.step !== 'fire').map((s) => [s.step, s.host, s.ok])).toEqual([
        ['activate', 'net-b', true],
      ]);
      expect(sw.filter((s) => s.step === 'sync' && s.ok)).toHaveLength(3);
      // What fired is what the confirming push then asked for.
      for (const h of ['net-a', 'net-b', 'net-c'] as const) {
        const fired = agents.network.get(h)!.fired.at(-1);
        expect(fired?.id).toBe(instanceId);
        expect(shape(fired!.state)).toEqual(shape(lastPush(h)));
      }
      expect(fdbOf(lastPush('net-a'), vm1.mac)).toBe(VTEP['net-b']);
      expect(fdbOf(lastPush('net-c'), vm1.mac)).toBe(VTEP['net-b']);
      expect(fdbOf(lastPush('net-b'), vm1.mac)).toBeUndefined();
      expect(lastPush('net-b').routers[0].floatingIps).toEqual([{ floatingIp: fipAddress, fixedIp: '10.0.0.2' }]);
      expect(lastPush('net-a').routers[0].floatingIps).toEqual([]);

      const done = await follow.commit(instanceId, hostIds['net-a']);
      expect(done.filter((s) => s.step !== 'sync').map((s) => [s.step, s.host, s.ok])).toEqual([['unbind', 'net-a', true]]);
      const a = lastPush('net-a');
      expect(a.networks).toEqual([]);
      expect(a.routers).toEqual([]);
      expect(a.fipNamespaces).toEqual([]);
      expect(lastPush('net-b').fipNamespaces).toHaveLength(1);
      expect(lastPush('net-c').fipNamespaces).toEqual([]);
      // A's fip gateway port went with A's last floating IP.
      const gateways = await http().get('/ports?deviceOwner=floatingip_agent_gateway').set(auth(ANALYST));
      expect(gateways.body.items.map((p: { deviceId: string }) => p.deviceId)).toEqual([hostIds['net-b']]);
      // The revision only grew.
      const revisions = agents.network.get('net-c')!.pushes.map((p) => p.revision);
      expect([...revisions].sort((x, y) => x - y)).toEqual(revisions);
      expect(shape(await desired('net-c'))).not.toEqual(shape(before[2]));
    });

    it('rollback after switchover restores exactly the state before prePlug', async () => {
      const before = await Promise.all((['net-a', 'net-b', 'net-c'] as const).map(desired));
      const revisionBefore = before[0].revision;
      await follow.prePlug(instanceId, hostIds['net-a']);
      await follow.switchover(instanceId, hostIds['net-a']);
      expect(fdbOf(lastPush('net-c'), vm1.mac)).toBe(VTEP['net-a']);
      const back = await follow.rollback(instanceId, hostIds['net-b'], hostIds['net-a']);
      expect(back.filter((s) => s.step !== 'sync').map((s) => [s.step, s.host, s.ok])).toEqual([
        ['activate', 'net-b', true],
        ['unbind', 'net-a', true],
      ]);
      const after = await Promise.all((['net-a', 'net-b', 'net-c'] as const).map(desired));
      expect(after.map(shape)).toEqual(before.map(shape));
      expect(after[0].revision).toBeGreaterThan(revisionBefore);
      for (const host of ['net-a', 'net-b', 'net-c'] as const)
        expect(shape(lastPush(host))).toEqual(shape(after[['net-a', 'net-b', 'net-c'].indexOf(host)]));
    });

    it('rollback before switchover removes the pre-plugged destination', async () => {
      const before = await Promise.all((['net-a', 'net-b', 'net-c'] as const).map(desired));
      await follow.prePlug(instanceId, hostIds['net-c']);
      const back = await follow.rollback(instanceId, hostIds['net-b'], hostIds['net-c']);
      expect(back.filter((s) => s.step !== 'sync').map((s) => [s.step, s.host])).toEqual([['unbind', 'net-c']]);
      expect((await Promise.all((['net-a', 'net-b', 'net-c'] as const).map(desired))).map(shape)).toEqual(before.map(shape));
    });

    it('shows the agent status: desired revision against the applied one', async () => {
      const res = await http().get('/network/hosts/net-b/status').set(auth(ANALYST));
      expect(res.status).toBe(200);
      expect(res.body.inSync).toBe(true);
      expect(res.body.appliedRevision).toBe(res.body.desiredRevision);
      expect(res.body.agent).toMatchObject({ desiredHost: 'net-b', driftLogEntries: 0, recentDrift: [] });
      expect(res.body.agent.lastApply).toMatchObject({ revision: res.body.desiredRevision, driftCount: expect.any(Number) });
      // livemig's own summary, not the agent's body: no desired state or command list is passed through.
      expect(Object.keys(res.body.agent).sort()).toEqual(['desiredHost', 'desiredRevision', 'driftLogEntries', 'lastApply', 'recentDrift']);
      const reconciled = await op(http().post('/network/hosts/net-b/reconcile'));
      expect(reconciled.status).toBe(200);
      expect(reconciled.body).toMatchObject({ host: 'net-b', revision: res.body.desiredRevision, drift: [] });
      expect((await http().post('/network/hosts/net-b/reconcile').set(auth(ANALYST))).status).toBe(403);
    });
  });

  describe('an agent down', () => {
    it('keeps the change, reports the host not updated, and the heartbeat marks it down, then up again', async () => {
      agents.down.add('net-c');
      const res = await op(http().post('/networks')).send({ name: 'while-down', vni: 3000 });
      expect(res.status).toBe(201);
      expect(res.body.sync.notUpdated).toEqual(['net-c']);
      const c = res.body.sync.hosts.find((h: { host: string }) => h.host === 'net-c');
      expect(c).toMatchObject({ ok: false, error: expect.stringContaining('ECONNREFUSED') });
      expect((await http().get(`/networks/${res.body.id}`).set(auth(ANALYST))).status).toBe(200);

      const status = await http().get('/network/hosts/net-c/status').set(auth(ANALYST));
      expect(status.status).toBe(502);
      expect(status.body.message).toContain('did not answer');
      expect(status.body.details).toEqual({ host: 'net-c', failure: 'unreachable', statusCode: null });
      expect(status.body.message).not.toContain('ECONNREFUSED');

      await expect
        .poll(async () => (await http().get(`/hosts/${hostIds['net-c']}`).set(auth(ANALYST))).body.agentState, {
          timeout: 5000,
          interval: 50,
        })
        .toBe('down');
      // Known down: a change does not wait for it.
      const whileKnownDown = await op(http().patch(`/networks/${res.body.id}`)).send({ mtu: 1400 });
      expect(whileKnownDown.status).toBe(200);
      expect(whileKnownDown.body.sync.notUpdated).toEqual(['net-c']);
      expect(whileKnownDown.body.sync.hosts.find((h: { host: string }) => h.host === 'net-c')).toMatchObject({
        ok: false,
        durationMs: 0,
        error: expect.stringMatching(/^agent on net-c is down \(missed 3 heartbeats, (last seen \S+|never seen)\); the resync will retry$/),
      });
      const a = (await http().get(`/hosts/${hostIds['net-a']}`).set(auth(ANALYST))).body;
      expect(a.agentState).toBe('up');
      expect(Date.parse(a.agentLastSeenAt)).not.toBeNaN();

      agents.down.delete('net-c');
      await expect
        .poll(async () => (await http().get(`/hosts/${hostIds['net-c']}`).set(auth(ANALYST))).body.agentState, {
          timeout: 5000,
          interval: 50,
        })
        .toBe('up');
      // The periodic resync catches the host up without any new change.
      await expect.poll(() => lastPush('net-c').revision, { timeout: 5000, interval: 50 }).toBe(whileKnownDown.body.sync.revision);
      const resync = await op(http().post('/network/sync'));
      expect(resync.status).toBe(200);
      expect(resync.body.notUpdated).toEqual([]);
      expect(lastPush('net-c').revision).toBe(resync.body.revision);
    });
  });

  describe('legacy router', () => {
    it('lives on its host only, with every floating IP and a qg gateway leg', async () => {
      const net = await network('legacy-net', 1100);
      const sub = await subnet(net, '10.11.0.0/24');
      const ext = await network('legacy-public', 2100, true);
      await subnet(ext, '198.18.0.0/24');
      const distributedWithHost = await op(http().post('/routers')).send({
        name: 'bad',
        distributed: true,
        legacyHostId: hostIds['net-c'],
      });
      expect(distributedWithHost.status).toBe(422);
      const noHost = await op(http().post('/routers')).send({ name: 'bad', distributed: false });
      expect(noHost.status).toBe(422);
      expect(noHost.body.message).toBe('a non-distributed router needs legacyHostId');
      const notExternal = await op(http().post('/routers')).send({
        name: 'bad',
        distributed: false,
        legacyHostId: hostIds['net-c'],
        externalNetworkId: net,
      });
      expect(notExternal.status).toBe(422);
      expect(notExternal.body.message).toBe('network legacy-net is not external');
      const router = await op(http().post('/routers')).send({
        name: 'legacy',
        distributed: false,
        legacyHostId: hostIds['net-c'],
        externalNetworkId: ext,
      });
      expect(router.status).toBe(201);
      const port = await op(http().post('/ports')).send({ subnetId: sub.id, host: 'net-a', deviceId: 'legacy-instance' });
      const unreachable = await op(http().post('/floating-ips')).send({ networkId: ext, portId: port.body.id });
      expect(unreachable.status).toBe(422);
      expect(unreachable.body.message).toContain('is not reachable from subnet');
      const iface = await op(http().post(`/routers/${router.body.id}/interfaces`)).send({ subnetId: sub.id });
      expect(iface.status).toBe(201);
      const overlapping = await subnet(await network('legacy-overlap', 1101), '10.11.0.0/25');
      const clash = await op(http().post(`/routers/${router.body.id}/interfaces`)).send({ subnetId: overlapping.id });
      expect(clash.status).toBe(409);
      expect(clash.body.message).toBe('router legacy has an interface on 10.11.0.0/24, which overlaps 10.11.0.0/25');
      const fip = await op(http().post('/floating-ips')).send({ networkId: ext, portId: port.body.id });
      expect(fip.status).toBe(201);
      const second = await op(http().post('/floating-ips')).send({ networkId: ext, portId: port.body.id });
      expect(second.status).toBe(409);

      const c = await desired('net-c');
      const placement = c.routers.find((r) => r.routerId === router.body.id);
      expect(placement).toMatchObject({
        distributed: false,
        dvrHostMac: null,
        floatingIps: [{ floatingIp: fip.body.address, fixedIp: port.body.fixedIp }],
      });
      expect(placement?.externalGateway).toMatchObject({ address: router.body.gateway.ip, prefixLength: 24, gatewayIp: '198.18.0.1' });
      const a = await desired('net-a');
      expect(a.routers.find((r) => r.routerId === router.body.id)).toBeUndefined();
      expect(fdbOf(a, iface.body.interfaces[0].mac)).toBe(VTEP['net-c']);
      expect((await desired('net-b')).networks.find((n) => n.vni === 1100)).toBeUndefined();

      const busy = await op(http().delete(`/routers/${router.body.id}/interfaces/${sub.id}`));
      expect(busy.status).toBe(409);
      const dissociated = await op(http().patch(`/floating-ips/${fip.body.id}`)).send({ portId: null });
      expect(dissociated.body).toMatchObject({ portId: null, routerId: null });
      expect((await op(http().delete(`/routers/${router.body.id}/interfaces/${sub.id}`))).status).toBe(200);
      expect((await desired('net-a')).networks.find((n) => n.vni === 1100)?.fdb).toEqual([]);
    });
  });

  describe('revision', () => {
    it('a new host VTEP bumps the revision and reaches the other hosts with the next resync', async () => {
      const before = await desired('net-c');
      const tenant = before.networks.find((n) => n.vni === 1000);
      expect(tenant?.floodVteps).toContain(VTEP['net-b']);
      const patched = await op(http().patch(`/hosts/${hostIds['net-b']}`)).send({ vtepIp: '198.51.100.22' });
      expect(patched.status).toBe(200);
      const after = await desired('net-c');
      expect(after.revision).toBeGreaterThan(before.revision);
      expect(after.networks.find((n) => n.vni === 1000)?.floodVteps).toEqual(
        tenant?.floodVteps.map((v) => (v === VTEP['net-b'] ? '198.51.100.22' : v)),
      );
      await expect.poll(() => lastPush('net-c').revision, { timeout: 5000, interval: 50 }).toBe(after.revision);
      expect(lastPush('net-b').localVtepIp).toBe('198.51.100.22');
      await op(http().patch(`/hosts/${hostIds['net-b']}`)).send({ vtepIp: VTEP['net-b'] });
    });

    it('rolls a change back with its revision bump when the bump fails (a network, a host VTEP)', async () => {
      const before = (await desired('net-a')).revision;
      const bump = vi.spyOn(NetworkRevisionRepository.prototype, 'bump').mockRejectedValue(new Error('revision bump failed'));
      try {
        expect((await op(http().post('/networks')).send({ name: 'rolled-back', vni: 4100 })).status).toBe(500);
        expect((await op(http().patch(`/hosts/${hostIds['net-d']}`)).send({ vtepIp: '198.51.100.4' })).status).toBe(500);
      } finally {
        bump.mockRestore();
      }
      const networks = await http().get('/networks?limit=500').set(auth(ANALYST));
      expect(networks.body.items.map((n: { vni: number }) => n.vni)).not.toContain(4100);
      expect((await http().get(`/hosts/${hostIds['net-d']}`).set(auth(ANALYST))).body.vtepIp).toBeNull();
      expect((await desired('net-a')).revision).toBe(before);
      // Nothing half-written is left: the same change goes through, with the next revision.
      const again = await op(http().post('/networks')).send({ name: 'committed', vni: 4100 });
      expect(again.status).toBe(201);
      expect(again.body.sync.revision).toBe(before + 1);
    });

    it('validates the host of the status routes (400 naming the field)', async () => {
      const res = await http()
        .get(`/network/hosts/${'x'.repeat(64)}/status`)
        .set(auth(ANALYST));
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'host', errors: [expect.stringContaining('host')] }]);
    });

    it('a controller on an empty database is refused by agents holding another generation, until it takes them over', async () => {
      const held = lastPush('net-a');
      expect(held.generation).toMatch(/^[0-9a-f-]{36}$/);
      const emptyDb = await createTestDatabase(kind);
      const fresh = await startTestApp({
        databaseUrl: emptyDb.url,
        env: { LIVEMIG_NETWORK_RESYNC_MS: '0', LIVEMIG_HEARTBEAT_MS: '0' },
        overrides: [{ token: AGENT_CLIENT_FACTORY, value: agents.factory }],
      });
      const api = () => request(fresh.getHttpServer());
      try {
        const host = await api()
          .post('/hosts')
          .set(auth(OPERATOR))
          .send(
            sampleHost('net-a', {
              migrationAddress: '192.0.2.21',
              agentEndpoint: 'http://192.0.2.21:7070',
              agentToken: 'agent-token-net-a',
              vtepIp: VTEP['net-a'],
            }),
          );
        expect(host.status).toBe(201);
        const created = await api().post('/networks').set(auth(OPERATOR)).send({ name: 'fresh', vni: 4200 });
        expect(created.status).toBe(201);
        // Refused loudly, never applied: the agent still holds the first database's state.
        expect(created.body.sync.notUpdated).toEqual(['net-a']);
        expect(created.body.sync.hosts[0]).toMatchObject({
          ok: false,
          heldBy: { reason: 'other-generation', heldGeneration: held.generation, heldRevision: held.revision },
          error: expect.stringContaining('POST /network/takeover'),
        });
        expect(lastPush('net-a')).toEqual(held);
        const status = await api().get('/network/hosts/net-a/status').set(auth(ANALYST));
        expect(status.body).toMatchObject({ heldGeneration: held.generation, heldByOtherGeneration: true, inSync: false });
        expect(status.body.generation).not.toBe(held.generation);

        expect((await api().post('/network/takeover').set(auth(ANALYST))).status).toBe(403);
        const taken = await api().post('/network/takeover').set(auth(OPERATOR));
        expect(taken.status).toBe(200);
        expect(taken.body.notUpdated).toEqual([]);
        expect(taken.body.hosts[0]).toMatchObject({ host: 'net-a', ok: true, tookOverFrom: held.generation });
        expect(taken.body.revision).toBeGreaterThan(held.revision);
        const now = lastPush('net-a');
        expect(now.generation).toBe(status.body.generation);
        expect(now.takeOver).toBeUndefined();
        // The fresh database's state: its network has no port on net-a, so nothing of the first database's is left.
        expect(now.revision).toBe(taken.body.revision);
        expect(now.networks).toEqual([]);
        const after = await api().get('/network/hosts/net-a/status').set(auth(ANALYST));
        expect(after.body).toMatchObject({ heldByOtherGeneration: false, inSync: true });
      } finally {
        await fresh.close();
        await emptyDb.drop();
      }
      // The first controller is now the one refused; it takes its hosts back the same way.
      const back = await op(http().post('/network/takeover'));
      expect(back.body.hosts.find((h: { host: string }) => h.host === 'net-a')).toMatchObject({ ok: true });
      expect(lastPush('net-a').generation).toBe(held.generation);
    });

    it('keeps growing across a controller restart', async () => {
      const before = (await desired('net-a')).revision;
      const replica = await startTestApp({
        databaseUrl: db.url,
        env: { LIVEMIG_NETWORK_RESYNC_MS: '0', LIVEMIG_HEARTBEAT_MS: '0' },
        overrides: [{ token: AGENT_CLIENT_FACTORY, value: agents.factory }],
      });
      try {
        const res = await request(replica.getHttpServer()).post('/networks').set(auth(OPERATOR)).send({ name: 'after-restart', vni: 4000 });
        expect(res.status).toBe(201);
        expect(res.body.sync.revision).toBeGreaterThan(before);
      } finally {
        await replica.close();
      }
    });
  });
});
