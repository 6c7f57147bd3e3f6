import { existsSync, readFileSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from 'supertest/types';
import { PCAP_NS_HEADER, startFakeAgent, TOKEN, type FakeAgent } from './fake-agent';

let agent: FakeAgent;
let server: App;
const auth = { authorization: `Bearer ${TOKEN}` };
const ID = '0b7c2a9e-4f1d-4c3b-9a8e-1d2c3b4a5f60';

beforeEach(async () => {
  agent = await startFakeAgent();
  server = agent.app.getHttpServer() as App;
});
afterEach(async () => {
  await agent.app.close();
});

describe('authentication', () => {
  it.each([
    ['no header', {}, 'missing bearer token'],
    ['a wrong token', { authorization: 'Bearer agent-token-0123456789abcdeX' }, 'invalid bearer token'],
    ['a prefix of the token', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }, 'invalid bearer token'],
    ['basic auth', { authorization: `Basic ${TOKEN}` }, 'missing bearer token'],
  ])('refuses %s with 401', async (_, headers, message) => {
    const res = await request(server).get('/v1/health').set(headers);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message });
  });

  it('guards every duty, not only health', async () => {
    for (const [method, path] of [
      ['post', '/v1/storage/markers'],
      ['post', '/v1/captures'],
      ['post', '/v1/probes'],
      ['get', `/v1/captures/${ID}/file`],
    ] as const) {
      expect((await request(server)[method](path)).status).toBe(401);
    }
    expect(agent.runner.calls).toEqual([]);
  });

  it('answers health with the right token', async () => {
    const res = await request(server).get('/v1/health').set(auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ host: 'hostA', version: '0.1.0', uptimeSec: expect.any(Number) });
    expect(Date.parse(res.body.time as string)).not.toBeNaN();
  });
});

describe('storage markers', () => {
  it('writes a marker into the instances path and reads it back', async () => {
    const created = await request(server).post('/v1/storage/markers').set(auth).send({ instancesPath: agent.config.instancesPath });
    expect(created.status).toBe(201);
    const { markerId, content, path } = created.body as { markerId: string; content: string; path: string };
    expect(path).toBe(join(agent.config.instancesPath, '.livemig-markers', `${markerId}.marker`));
    expect(readFileSync(path, 'utf8')).toBe(content);
    expect(content).toMatch(/^[0-9a-f]{64}$/);

    const read = await request(server)
      .get(`/v1/storage/markers/${markerId}`)
      .query({ instancesPath: agent.config.instancesPath })
      .set(auth);
    expect(read.body).toEqual({ markerId, content, path });

    expect((await request(server).delete(`/v1/storage/markers/${markerId}`).set(auth)).status).toBe(204);
    expect(existsSync(path)).toBe(false);
    const gone = await request(server).get(`/v1/storage/markers/${markerId}`).set(auth);
    expect(gone.status).toBe(404);
    expect(gone.body.message).toMatch(/not visible/);
  });

  it('gives each marker new random content', async () => {
    const a = await request(server).post('/v1/storage/markers').set(auth).send({});
    const b = await request(server).post('/v1/storage/markers').set(auth).send({});
    expect(a.body.markerId).not.toBe(b.body.markerId);
    expect(a.body.content).not.toBe(b.body.content);
  });

  it.each([
    ['..%2F..%2Fetc%2Fpasswd', /not a marker id/],
    ['not-a-uuid', /not a marker id/],
  ])('refuses marker id %s', async (id, reason) => {
    const res = await request(server).get(`/v1/storage/markers/${id}`).set(auth);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(reason);
  });

  it.each([
    ['/etc', /not this host's instances path/],
    ['relative/path', /not absolute/],
  ])('refuses instancesPath %s', async (instancesPath, reason) => {
    const res = await request(server).post('/v1/storage/markers').set(auth).send({ instancesPath });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(reason) });
  });

  it('refuses a traversal through the instances path', async () => {
    const res = await request(server)
      .post('/v1/storage/markers')
      .set(auth)
      .send({ instancesPath: `${agent.config.instancesPath}/../../../../etc` });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/segments/);
  });

  it('refuses to follow a symlinked marker directory', async () => {
    const elsewhere = join(agent.config.dataDir, 'elsewhere');
    await mkdir(elsewhere, { recursive: true });
    await symlink(elsewhere, join(agent.config.instancesPath, '.livemig-markers'));
    const res = await request(server).post('/v1/storage/markers').set(auth).send({});
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/not a plain directory/);
  });

  it('refuses unknown fields', async () => {
    const res = await request(server).post('/v1/storage/markers').set(auth).send({ path: '/etc' });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'path', reasons: ['property path should not exist'] }]);
  });
});

describe('captures', () => {
  const body = { interface: 'veth-mig', filter: { migrationPorts: { from: 49152, to: 49215 }, rpcPorts: [16509] } };

  it('starts tcpdump with a filter the agent built, stops it and serves the pcap', async () => {
    const started = await request(server).post('/v1/captures').set(auth).send(body);
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ interface: 'veth-mig', state: 'running', bpf: 'tcp and (portrange 49152-49215 or port 16509)' });
    const call = agent.runner.calls[0];
    expect(call?.command).toBe('tcpdump');
    expect(call?.args).toEqual(expect.arrayContaining(['-s', '128', '-U', '--time-stamp-precision=nano', '--', started.body.bpf]));

    const id = started.body.captureId as string;
    const early = await request(server).get(`/v1/captures/${id}/file`).set(auth);
    expect(early.status).toBe(409);

    const stopped = await request(server).post(`/v1/captures/${id}/stop`).set(auth);
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({
      state: 'stopped',
      counters: { packetsCaptured: 5, packetsReceivedByFilter: 6, packetsDroppedByKernel: 0 },
      fileBytes: PCAP_NS_HEADER.length,
    });
    expect(agent.runner.lastStarted('tcpdump')?.signals).toEqual(['SIGINT']);

    const file = await request(server)
      .get(`/v1/captures/${id}/file`)
      .set(auth)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('application/vnd.tcpdump.pcap');
    expect(Buffer.compare(file.body as Buffer, PCAP_NS_HEADER)).toBe(0);

    expect((await request(server).delete(`/v1/captures/${id}`).set(auth)).status).toBe(204);
    expect((await request(server).get(`/v1/captures/${id}`).set(auth)).status).toBe(404);
  });

  it('sizes the packet cap from maxSizeMiB and snaplenBytes', async () => {
    await request(server)
      .post('/v1/captures')
      .set(auth)
      .send({ ...body, maxSizeMiB: 1, snaplenBytes: 256 })
      .expect(201);
    const args = agent.runner.calls[0]?.args ?? [];
    expect(args[args.indexOf('-c') + 1]).toBe(String(Math.floor((1024 * 1024 - 24) / (16 + 256))));
  });

  it.each([
    [{ ...body, interface: 'eth0; rm -rf /' }, /interface name/],
    [{ ...body, interface: '-w' }, /interface name/],
    [{ ...body, interface: '../../x' }, /interface name/],
    [{ ...body, filter: { migrationPorts: { from: 49215, to: 49152 } } }, /reversed/],
    [{ ...body, filter: { migrationPorts: { from: 0, to: 49152 } } }, /from must not be less than 1/],
    [{ ...body, filter: { ...body.filter, rpcPorts: [70000] } }, /rpcPorts/],
    [{ ...body, filter: { bpf: 'tcp or udp' } }, /property filter.bpf should not exist|bpf should not exist/],
    [{ ...body, snaplenBytes: 10 }, /snaplenBytes/],
  ])('refuses %j with 400 and a reason', async (bad, reason) => {
    const res = await request(server).post('/v1/captures').set(auth).send(bad);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(reason);
    expect(agent.runner.calls).toEqual([]);
  });

  it("reports tcpdump's own reason when it cannot start", async () => {
    agent.runner.whenStarted('tcpdump', (p) => {
      p.emit('stderr', 'tcpdump: nosuch0: No such device exists\n');
      p.exit({ exitCode: 1 });
    });
    const res = await request(server)
      .post('/v1/captures')
      .set(auth)
      .send({ ...body, interface: 'nosuch0' });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('capture on nosuch0 did not start: tcpdump: nosuch0: No such device exists');
  });

  it('refuses an id that is not a capture id', async () => {
    const res = await request(server).post('/v1/captures/..%2F..%2Fetc/stop').set(auth);
    expect(res.status).toBe(400);
  });

  it('stops running captures when the agent shuts down', async () => {
    await request(server).post('/v1/captures').set(auth).send(body).expect(201);
    await agent.app.close();
    expect(agent.runner.lastStarted('tcpdump')?.signals).toEqual(['SIGINT']);
  });
});

describe('probes', () => {
  it('starts the capture before fping, and stops fping before the capture', async () => {
    const started = await request(server)
      .post('/v1/probes')
      .set(auth)
      .send({ target: '203.0.113.10', intervalMs: 10, interface: 'veth-probe', kind: 'icmp' });
    expect(started.status).toBe(201);
    expect(agent.runner.calls.map((c) => c.command)).toEqual(['tcpdump', 'fping']);
    expect(agent.runner.calls[0]?.args.at(-1)).toBe('(icmp and host 203.0.113.10)');
    expect(agent.runner.calls[1]?.args).toEqual(['-q', '-i', '10', '-p', '10', '-c', '360000', '-I', 'veth-probe', '203.0.113.10']);

    const id = started.body.probeId as string;
    const stopped = await request(server).post(`/v1/probes/${id}/stop`).set(auth);
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({
      state: 'stopped',
      ping: { transmitted: 200, received: 198, errors: 0, lossPct: 1 },
      message: null,
      capture: { packetsCaptured: 5 },
      tcpEcho: null,
      fileBytes: PCAP_NS_HEADER.length,
    });
    expect(agent.runner.lastStarted('fping')?.signals).toEqual(['SIGINT']);
    expect(agent.runner.lastStarted('tcpdump')?.signals).toEqual(['SIGINT']);
    expect((await request(server).get(`/v1/probes/${id}/file`).set(auth)).status).toBe(200);
  });

  it('adds the TCP echo port to the capture filter and runs the echo client', async () => {
    const echoed = { port: 7, sent: 10, echoed: 10, connections: 1, connectionErrors: [], maxEchoGapMs: 12 };
    await agent.app.close();
    const seen: unknown[] = [];
    agent = await startFakeAgent((options) => {
      seen.push(options);
      return { stop: async () => echoed };
    });
    server = agent.app.getHttpServer() as App;
    const started = await request(server)
      .post('/v1/probes')
      .set(auth)
      .send({ target: '203.0.113.10', interface: 'veth-probe', tcpEchoPort: 7 })
      .expect(201);
    expect(agent.runner.calls[0]?.args.at(-1)).toBe('(icmp and host 203.0.113.10) or (tcp port 7 and host 203.0.113.10)');
    expect(seen).toEqual([{ target: '203.0.113.10', port: 7, intervalMs: 10 }]);
    const stopped = await request(server).post(`/v1/probes/${started.body.probeId}/stop`).set(auth).expect(200);
    expect(stopped.body.tcpEcho).toEqual(echoed);
  });

  it.each([
    [{ intervalMs: 10, maxDurationSec: 60 }, '12000'],
    [{ intervalMs: 1, maxDurationSec: 60, tcpEchoPort: 7 }, '360000'],
  ])('sizes the probe capture to hold every packet of %j', async (options, packets) => {
    await request(server)
      .post('/v1/probes')
      .set(auth)
      .send({ target: '203.0.113.10', interface: 'veth-probe', ...options })
      .expect(201);
    const args = agent.runner.calls[0]?.args ?? [];
    expect(args[args.indexOf('-c') + 1]).toBe(packets);
  });

  it.each([
    [{ target: '203.0.113.10', interface: 'veth-probe', intervalMs: 0 }, /intervalMs/],
    [{ target: '203.0.113.10', interface: 'veth-probe', intervalMs: 1001 }, /intervalMs/],
    [{ target: 'guest; reboot', interface: 'veth-probe' }, /target/],
    [{ target: '203.0.113.10', interface: 'veth probe' }, /interface name/],
    [{ target: '203.0.113.10', interface: 'veth-probe', kind: 'udp' }, /kind/],
    [{ target: '203.0.113.10', interface: 'veth-probe', tcpEchoPort: 0 }, /tcpEchoPort/],
  ])('refuses %j', async (bad, reason) => {
    const res = await request(server).post('/v1/probes').set(auth).send(bad);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(reason);
    expect(agent.runner.calls).toEqual([]);
  });

  it("reports fping's reason and stops the capture when fping fails", async () => {
    agent.runner.whenStarted('fping', (p) => {
      p.emit('stderr', 'binding to specific interface (SO_BINTODEVICE): No such device\n');
      p.exit({ exitCode: 4 });
    });
    const res = await request(server).post('/v1/probes').set(auth).send({ target: '203.0.113.10', interface: 'veth-probe' });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('fping 203.0.113.10 did not start: binding to specific interface (SO_BINTODEVICE): No such device');
    expect(agent.runner.lastStarted('tcpdump')?.hasExited()).toBe(true);
  });
});
