import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYST, auth, OPERATOR, startTestApp } from '../support/api/test-app';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../support/api/test-database';

const ADMIN = 'ad-token-1-0123456789';

const ipsecPeer = {
  name: 'site-b',
  localGatewayIp: '203.0.113.1',
  remoteGatewayIp: '203.0.113.2',
  encryption: 'ipsec',
  linkBandwidthMbps: 1000,
};

describe.each<DatabaseKind>(['sqlite', 'postgres'])('site interconnection API on %s', (kind) => {
  let db: TestDatabase;
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());
  const as = <T extends request.Test>(token: string, t: T) => t.set(auth(token));
  const network = async (name: string, vni: number, mtu?: number) => {
    const res = await as(OPERATOR, http().post('/networks')).send({ name, vni, ...(mtu ? { mtu } : {}) });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    app = await startTestApp({
      databaseUrl: db.url,
      env: { LIVEMIG_TOKENS: `${ADMIN}:admin,${OPERATOR}:operator,${ANALYST}:analyst` },
    });
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('lets only administrators set up a site peer; IPsec defaults to ESP transport mode with AES-GCM (the budget of 1416)', async () => {
    expect((await as(OPERATOR, http().post('/site-peers')).send(ipsecPeer)).status).toBe(403);
    const res = await as(ADMIN, http().post('/site-peers')).send(ipsecPeer);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      espMode: 'transport',
      espCipher: 'aes-gcm-128',
      natTraversal: false,
      underlayMtuBytes: 1500,
      mtuBudget: { largestGuestMtuBytes: 1416, overheadBytes: 84, tcpMssBytes: 1376 },
    });
    expect(res.body.mtuBudget.layers.map((l: { overheadBytes: number }) => l.overheadBytes)).toEqual([14, 36, 34]);
    expect((await as(ADMIN, http().post('/site-peers')).send(ipsecPeer)).status).toBe(409);
    const read = await as(ANALYST, http().get('/site-peers'));
    expect(read.status).toBe(200);
    expect(read.body.total).toBe(1);
  });

  it('gives the budget per layer, with the inner VLAN tag on request (NAT-T tunnel: 1388, 1384 tagged)', async () => {
    const res = await as(ADMIN, http().post('/site-peers')).send({
      ...ipsecPeer,
      name: 'site-behind-nat',
      remoteGatewayIp: '203.0.113.3',
      espMode: 'tunnel',
      natTraversal: true,
    });
    expect(res.status).toBe(201);
    expect(res.body.mtuBudget).toMatchObject({ largestGuestMtuBytes: 1388, worstCaseOverheadBytes: 115 });
    const tagged = await as(ANALYST, http().get(`/site-peers/${res.body.id}/mtu-budget?innerVlanTag=true`));
    expect(tagged.status).toBe(200);
    expect(tagged.body.largestGuestMtuBytes).toBe(1384);
    expect((await as(ANALYST, http().get(`/site-peers/${res.body.id}/mtu-budget?innerVlanTag=maybe`))).status).toBe(400);
  });

  it('refuses contradictory or invalid policies with the reason (4xx, never 500)', async () => {
    const post = (body: object) => as(ADMIN, http().post('/site-peers')).send({ ...ipsecPeer, name: 'bad', ...body });
    const cases: [object, number, RegExp][] = [
      [{ encryption: 'wireguard', espCipher: 'aes-gcm-128' }, 422, /IPsec settings/],
      [{ encryption: 'none', natTraversal: true }, 422, /natTraversal is an IPsec setting/],
      [{ espCipher: 'des' }, 400, /espCipher/],
      [{ underlayMtuBytes: 1000 }, 400, /underlayMtuBytes/],
      [{ outerFamily: 'ipv6' }, 422, /not an ipv6 address/],
      [{ remoteGatewayIp: '203.0.113.1' }, 422, /gateways must differ/],
      [{ localGatewayIp: 'gw-a' }, 400, /localGatewayIp/],
    ];
    for (const [body, status, message] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(JSON.stringify(res.body)).toMatch(message);
    }
  });

  it('refuses to stretch a network whose MTU would black-hole packets over the link, and lowers it when asked', async () => {
    const peerId = (await as(ANALYST, http().get('/site-peers')).expect(200)).body.items.find(
      (p: { name: string }) => p.name === 'site-b',
    ).id;
    const tenant = await network('stretched', 1901); // Neutron's 1450 for VXLAN, 34 bytes too many for ESP
    const refused = await as(OPERATOR, http().post(`/site-peers/${peerId}/networks`)).send({ networkId: tenant });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(/1450 bytes would black-hole.*at most 1416/);
    expect(refused.body.details).toMatchObject({ check: 'mtu', networkMtuBytes: 1450, largestGuestMtuBytes: 1416 });
    expect((await as(ANALYST, http().get(`/site-peers/${peerId}/networks`))).body).toEqual([]);

    expect((await as(ANALYST, http().post(`/site-peers/${peerId}/networks`)).send({ networkId: tenant })).status).toBe(403);
    const lowered = await as(OPERATOR, http().post(`/site-peers/${peerId}/networks`)).send({ networkId: tenant, lowerNetworkMtu: true });
    expect(lowered.status).toBe(201);
    expect(lowered.body).toMatchObject({ networkId: tenant, networkMtuBytes: 1416, mtuBudget: { largestGuestMtuBytes: 1416 } });
    expect((await as(ANALYST, http().get(`/networks/${tenant}`))).body.mtu).toBe(1416);
    expect((await as(OPERATOR, http().post(`/site-peers/${peerId}/networks`)).send({ networkId: tenant })).status).toBe(409);
    expect((await as(OPERATOR, http().delete(`/networks/${tenant}`))).status).toBe(409);
    // Raising a stretched network's MTU past the budget is refused where MTUs are changed, too.
    const raised = await as(OPERATOR, http().patch(`/networks/${tenant}`)).send({ mtu: 1450 });
    expect(raised.status).toBe(422);
    expect(raised.body.message).toMatch(/stretched to site peer site-b: a guest MTU of 1450 bytes would black-hole/);
    expect((await as(OPERATOR, http().patch(`/networks/${tenant}`)).send({ mtu: 1400 })).status).toBe(200);
    expect((await as(OPERATOR, http().patch(`/networks/${tenant}`)).send({ mtu: 1416 })).status).toBe(200);

    const small = await network('small-mtu', 1902, 1400);
    const fits = await as(OPERATOR, http().post(`/site-peers/${peerId}/networks`)).send({ networkId: small, innerVlanTag: true });
    expect(fits.status).toBe(201);
    expect(fits.body).toMatchObject({ networkMtuBytes: 1400, mtuBudget: { largestGuestMtuBytes: 1412 } });
    expect((await as(ANALYST, http().get(`/site-peers/${peerId}/networks`))).body).toHaveLength(2);

    const unknown = await as(OPERATOR, http().post(`/site-peers/${peerId}/networks`)).send({
      networkId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.status).toBe(422);
    expect(
      (await as(OPERATOR, http().post(`/site-peers/00000000-0000-4000-8000-000000000000/networks`)).send({ networkId: small })).status,
    ).toBe(404);
  });

  it('refuses a policy change that would black-hole a stretched network, and a removal while networks are stretched', async () => {
    const peerId = (await as(ANALYST, http().get('/site-peers')).expect(200)).body.items.find(
      (p: { name: string }) => p.name === 'site-b',
    ).id;
    // NAT-T in tunnel mode costs 28 bytes more: 1388 < the stretched network's 1416.
    const change = await as(ADMIN, http().patch(`/site-peers/${peerId}`)).send({ espMode: 'tunnel', natTraversal: true });
    expect(change.status).toBe(409);
    // Both: the tagged network's 1400 is above that budget's 1384 too.
    expect(change.body.details.networks).toHaveLength(2);
    expect(change.body.details.networks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ networkMtuBytes: 1416, largestGuestMtuBytes: 1388 }),
        expect.objectContaining({ networkMtuBytes: 1400, largestGuestMtuBytes: 1384 }),
      ]),
    );
    expect((await as(ANALYST, http().get(`/site-peers/${peerId}`))).body.espMode).toBe('transport');

    // WireGuard costs 60: 1390 also refused; a jumbo WAN fits everything.
    expect((await as(ADMIN, http().patch(`/site-peers/${peerId}`)).send({ encryption: 'wireguard' })).status).toBe(409);
    const jumbo = await as(ADMIN, http().patch(`/site-peers/${peerId}`)).send({ encryption: 'wireguard', underlayMtuBytes: 9000 });
    expect(jumbo.status).toBe(200);
    expect(jumbo.body).toMatchObject({
      encryption: 'wireguard',
      espMode: null,
      espCipher: null,
      mtuBudget: { largestGuestMtuBytes: 8890 },
    });
    expect((await as(OPERATOR, http().patch(`/site-peers/${peerId}`)).send({ underlayMtuBytes: 1500 })).status).toBe(403);

    expect((await as(ADMIN, http().delete(`/site-peers/${peerId}`))).status).toBe(409);
    for (const n of (await as(ANALYST, http().get(`/site-peers/${peerId}/networks`))).body as { networkId: string }[])
      expect((await as(OPERATOR, http().delete(`/site-peers/${peerId}/networks/${n.networkId}`))).status).toBe(204);
    expect((await as(ADMIN, http().delete(`/site-peers/${peerId}`))).status).toBe(204);
    expect((await as(ANALYST, http().get(`/site-peers/${peerId}`))).status).toBe(404);
  });
});
