import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentError } from '../../../src/agents/client/agent.client';
import { HttpAgentClient } from '../../../src/agents/client/http-agent.client';
import type { AgentNetworkStatus, HostNetworkState, NetworkApplyReport } from '../../../src/agents/protocol';

const state: HostNetworkState = {
  host: 'compute-a',
  revision: 12,
  localVtepIp: '198.51.100.1',
  networks: [],
  routers: [],
  fipNamespaces: [],
};
const report: NetworkApplyReport = {
  host: 'compute-a',
  revision: 12,
  appliedAt: '2026-11-22T06:00:00.000Z',
  durationMs: 3,
  drift: [],
  commands: ['ip link add brq1000 type bridge'],
};

describe('HttpAgentClient network routes', () => {
  const seen: Array<{ method: string; url: string; auth: string; body: string }> = [];
  let server: Server;
  let url = '';

  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => resolve(body));
    });

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const body = await read(req);
      seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization ?? '', body });
      res.setHeader('content-type', 'application/json');
      if (req.method === 'PUT' && req.url === '/v1/network') {
        const parsed = JSON.parse(body) as HostNetworkState;
        if (parsed.revision < 0) {
          res.statusCode = 409;
          res.end(
            JSON.stringify({
              statusCode: 409,
              error: 'Conflict',
              message: 'revision 5 is older than the applied 12',
              details: { applied: 12 },
            }),
          );
          return;
        }
        res.end(JSON.stringify(report));
      } else if (req.method === 'GET' && req.url === '/v1/network') {
        const status: AgentNetworkStatus = { desired: state, lastApply: report, driftLog: [] };
        res.end(JSON.stringify(status));
      } else if (req.method === 'POST' && req.url === '/v1/network/reconcile') {
        res.end(JSON.stringify(report));
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ statusCode: 404, error: 'Not Found', message: 'no route' }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const client = () =>
    new HttpAgentClient({ host: 'compute-a', url, token: 'agent-secret' }, { requestTimeoutMs: 2000, downloadTimeoutMs: 2000 });

  it('PUTs the desired state to /v1/network with the bearer token and returns the apply report', async () => {
    expect(await client().applyNetwork(state)).toEqual(report);
    expect(seen.at(-1)).toEqual({ method: 'PUT', url: '/v1/network', auth: 'Bearer agent-secret', body: JSON.stringify(state) });
  });

  it('GETs the status and POSTs a reconcile', async () => {
    expect(await client().networkStatus()).toEqual({ desired: state, lastApply: report, driftLog: [] });
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/v1/network', body: '' });
    expect(await client().reconcileNetwork()).toEqual(report);
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/v1/network/reconcile' });
  });

  it("carries the agent's refusal", async () => {
    const err = await client()
      .applyNetwork({ ...state, revision: -1 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentError);
    expect(err).toMatchObject({
      failure: 'rejected',
      statusCode: 409,
      reason: 'revision 5 is older than the applied 12',
      details: { applied: 12 },
    });
  });
});
