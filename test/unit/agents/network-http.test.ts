import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import type { App } from 'supertest/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostNetworkState } from '../../../src/agents/protocol';
import { startFakeAgent, TOKEN, type FakeAgent } from './fake-agent';
import { sampleState } from './fixtures/network/states';

let agent: FakeAgent;
let server: App;
const auth = { authorization: `Bearer ${TOKEN}` };
const state = (): HostNetworkState => ({ ...sampleState(), host: 'hostA' });

beforeEach(async () => {
  agent = await startFakeAgent();
  server = agent.app.getHttpServer() as App;
});
afterEach(async () => {
  await agent.app.close();
});

describe('network routes: authentication', () => {
  it('refuses every network route without the bearer token, running nothing', async () => {
    expect((await request(server).put('/v1/network').send(state())).status).toBe(401);
    expect((await request(server).get('/v1/network')).status).toBe(401);
    expect((await request(server).post('/v1/network/reconcile')).status).toBe(401);
    expect(agent.runner.calls).toEqual([]);
  });
});

describe('network routes: validation', () => {
  const put = (body: unknown) =>
    request(server)
      .put('/v1/network')
      .set(auth)
      .send(body as object);
  const mutate = (f: (s: HostNetworkState) => void): HostNetworkState => {
    const s = state();
    f(s);
    return s;
  };
  const iface = (s: HostNetworkState) => {
    const i = s.routers[0]?.interfaces[0];
    if (!i) throw new Error('fixture');
    return i;
  };

  it.each([
    ['an option as interface name', mutate((s) => (iface(s).device = '-i')), /device.*"-i"/],
    ['a shell separator', mutate((s) => (iface(s).peerDevice = 'a;b')), /peerDevice.*"a;b"/],
    ['a path', mutate((s) => (iface(s).bridge = '../x')), /bridge.*"\.\.\/x"/],
    ['a 16-character interface name', mutate((s) => (iface(s).device = 'qr-0123456789abc')), /longer than 15/],
    ['a namespace with a slash', mutate((s) => ((s.routers[0] as { namespace: string }).namespace = 'qrouter/../x')), /namespace/],
    ['a bad MAC', mutate((s) => (iface(s).gatewayMac = 'fa:16:3e:00:00')), /gatewayMac: "fa:16:3e:00:00" is not a MAC/],
    ['a bad IP', mutate((s) => (s.localVtepIp = '198.51.100.300')), /localVtepIp: "198.51.100.300" is not an IPv4/],
    ['VNI 0', mutate((s) => ((s.networks[0] as { vni: number }).vni = 0)), /vni/],
    ['VNI above 24 bits', mutate((s) => ((s.networks[0] as { vni: number }).vni = 16_777_216)), /vni/],
    ['prefix length 33', mutate((s) => (iface(s).prefixLength = 33)), /prefixLength/],
    ['an unknown field', { ...state(), extra: 1 }, /extra/],
    [
      'a bridge not named after its VNI',
      mutate((s) => ((s.networks[0] as { bridge: string }).bridge = 'eth0')),
      /bridge: "eth0" must be "brq1000"/,
    ],
    ['a router peer without the tap prefix', mutate((s) => (iface(s).peerDevice = 'vnet3')), /peerDevice: "vnet3" must start with "tap"/],
    ["another host's state", mutate((s) => (s.host = 'hostB')), /host: "hostB" is not this agent's host "hostA"/],
  ])('refuses %s with 400 and the reason', async (_, body, reason) => {
    const res = await put(body);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(reason);
    expect(agent.runner.calls).toEqual([]);
  });
});

describe('network routes: apply, status, reconcile', () => {
  it('applies through ip/bridge/nft argv, keeps the state on disk, reports it in GET', async () => {
    const res = await request(server).put('/v1/network').set(auth).send(state());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ host: 'hostA', revision: 3 });
    expect(res.body.commands).toContain('ip link add vxlan-1000 type vxlan id 1000 local 198.51.100.131 dstport 4789 nolearning');
    expect(agent.runner.calls.find((c) => c.command === 'bridge' && c.args[1] === 'append')?.args).toEqual([
      'fdb',
      'append',
      '00:00:00:00:00:00',
      'dev',
      'vxlan-1000',
      'dst',
      '198.51.100.132',
    ]);
    // The fake host never changes, so the confirmation finds everything still missing.
    const drift = res.body.drift as Array<{ subject: string; repaired: boolean; error?: string }>;
    expect(drift.every((d) => !d.repaired)).toBe(true);
    expect(drift.find((d) => d.subject === 'brq1000')?.error).toBe('still differs after the apply');
    // This agent runs without --external-interface: the fip leg is refused, not attempted.
    expect(drift.find((d) => d.subject.startsWith('fg-'))?.error).toMatch(/without --external-interface/);
    expect(JSON.parse(readFileSync(join(agent.config.dataDir, 'network-state.json'), 'utf8'))).toEqual(state());
    const status = await request(server).get('/v1/network').set(auth);
    expect(status.body.desired).toEqual(state());
    expect(status.body.lastApply.revision).toBe(3);
  });

  it('refuses an older revision with 409 and re-checks on POST /v1/network/reconcile', async () => {
    expect((await request(server).post('/v1/network/reconcile').set(auth)).status).toBe(409);
    expect((await request(server).put('/v1/network').set(auth).send(state())).status).toBe(200);
    const older = await request(server)
      .put('/v1/network')
      .set(auth)
      .send({ ...state(), revision: 2 });
    expect(older.status).toBe(409);
    expect(older.body.message).toBe('revision 2 is older than the applied revision 3');
    const reconciled = await request(server).post('/v1/network/reconcile').set(auth);
    expect(reconciled.status).toBe(200);
    expect(reconciled.body.revision).toBe(3);
  });
});
