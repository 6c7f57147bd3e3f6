import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentError } from '../../../src/agents/client/agent.client';
import { HttpAgentClient } from '../../../src/agents/client/http-agent.client';
import { PCAP_NS_HEADER, startFakeAgent, TOKEN, type FakeAgent } from './fake-agent';

let agent: FakeAgent;
let url: string;

beforeAll(async () => {
  agent = await startFakeAgent();
  await agent.app.listen(0, '127.0.0.1');
  url = `http://127.0.0.1:${(agent.app.getHttpServer() as { address(): AddressInfo }).address().port}`;
});
afterAll(async () => {
  await agent.app.close();
});

const client = (token = TOKEN, timeouts = { requestTimeoutMs: 2_000, downloadTimeoutMs: 2_000 }) =>
  new HttpAgentClient({ host: 'hostA', url, token }, timeouts);

describe('HttpAgentClient against an agent', () => {
  it('reads health', async () => {
    expect(await client().health()).toMatchObject({ host: 'hostA', version: '0.1.0' });
  });

  it('proves shared storage: the marker written through one call is read through another', async () => {
    const c = client();
    const marker = await c.createMarker(agent.config.instancesPath);
    expect(await c.readMarker(marker.markerId, agent.config.instancesPath)).toEqual(marker);
    await c.deleteMarker(marker.markerId);
    await expect(c.readMarker(marker.markerId)).rejects.toMatchObject({ failure: 'rejected', statusCode: 404 });
  });

  it('runs a capture and downloads the pcap to a file', async () => {
    const c = client();
    const started = await c.startCapture({
      interface: 'veth-mig',
      filter: { migrationPorts: { from: 49152, to: 49215 }, rpcPorts: [16509] },
    });
    expect(started.state).toBe('running');
    expect((await c.stopCapture(started.captureId)).counters).toEqual({
      packetsCaptured: 5,
      packetsReceivedByFilter: 6,
      packetsDroppedByKernel: 0,
    });
    const dest = join(await mkdtemp(join(tmpdir(), 'livemig-client-')), 'c.pcap');
    expect(await c.downloadCapture(started.captureId, dest)).toBe(PCAP_NS_HEADER.length);
    expect(Buffer.compare(readFileSync(dest), PCAP_NS_HEADER)).toBe(0);
    await c.deleteCapture(started.captureId);
  });

  it("carries the agent's reason and details on a refusal", async () => {
    const err = await client()
      .startCapture({ interface: 'eth0; rm -rf /' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentError);
    expect(err).toMatchObject({ host: 'hostA', failure: 'rejected', statusCode: 400 });
    expect((err as AgentError).reason).toMatch(/interface name "eth0; rm -rf \/"/);
    expect((err as AgentError).details).toEqual([{ field: 'interface', reasons: [expect.stringMatching(/interface name/)] }]);
    expect((err as AgentError).message).toMatch(/^agent hostA: .* \(HTTP 400\)$/);
  });

  it('reports a wrong token as a 401 refusal', async () => {
    await expect(client('wrong-token-0123456789').health()).rejects.toMatchObject({
      failure: 'rejected',
      statusCode: 401,
      reason: 'invalid bearer token',
    });
  });

  it('encodes ids so they cannot change the path', async () => {
    await expect(client().readMarker('../../health')).rejects.toMatchObject({ statusCode: 400 });
  });
});

describe('HttpAgentClient transport failures', () => {
  let silent: Server;
  let silentUrl: string;
  beforeAll(async () => {
    // Accepts connections and never answers.
    silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    silent.close();
  });

  it('times out', async () => {
    const c = new HttpAgentClient({ host: 'hostB', url: silentUrl, token: TOKEN }, { requestTimeoutMs: 150, downloadTimeoutMs: 150 });
    await expect(c.health()).rejects.toMatchObject({ host: 'hostB', failure: 'timeout', statusCode: 0 });
  });

  it('reports an unreachable agent', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const c = new HttpAgentClient({ host: 'hostC', url: `http://127.0.0.1:${port}`, token: TOKEN });
    await expect(c.health()).rejects.toMatchObject({ failure: 'unreachable', reason: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('refuses a non-http URL', () => {
    expect(() => new HttpAgentClient({ host: 'x', url: 'file:///etc/passwd', token: TOKEN })).toThrow(/http or https/);
  });
});

describe('HttpAgentClient against something that is not an agent', () => {
  it('does not echo the reply of whatever answered the endpoint (issue 16, finding 2)', async () => {
    const other = await new Promise<ReturnType<typeof createHttpServer>>((resolve) => {
      const server = createHttpServer((_req, res) => {
        res.writeHead(403, { 'content-type': 'text/plain' });
        res.end('root:$6$secret-hash:19000:0:99999:7:::\n');
      }).listen(0, '127.0.0.1', () => resolve(server));
    });
    try {
      const port = (other.address() as AddressInfo).port;
      const err = await new HttpAgentClient({ host: 'hostA', url: `http://127.0.0.1:${port}`, token: TOKEN })
        .health()
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AgentError);
      expect((err as AgentError).statusCode).toBe(403);
      expect((err as AgentError).message).toMatch(/not a livemig agent's/);
      expect((err as AgentError).message).not.toContain('secret-hash');
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });
});
