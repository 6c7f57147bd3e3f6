import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentError, type AgentClientFactory } from '../../../src/agents/client/agent.client';
import { httpAgentClientFactory } from '../../../src/agents/client/http-agent.client';
import { makeLabPki, type LabPki } from '../../../lab/tls';
import { startFakeAgent, TOKEN, type FakeAgent } from './fake-agent';

// The agent channel over TLS, in-process: the real agent app serving HTTPS with a client CA (mutual TLS) and
// the controller's client factory, with certificates from the lab's openssl PKI.
const pem = (file: string) => readFileSync(file, 'utf8');

describe('agent channel over mutual TLS', () => {
  let work: string;
  let pki: LabPki;
  let stranger: LabPki;
  let agent: FakeAgent;
  let httpsUrl: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'livemig-tls-'));
    pki = await makeLabPki(join(work, 'lab'), { agents: { 'host-a': '127.0.0.1' } });
    stranger = await makeLabPki(join(work, 'stranger'), { agents: { 'host-a': '127.0.0.1' }, caName: 'somebody else' });
    const server = pki.agents['host-a'];
    agent = await startFakeAgent(undefined, { tls: { cert: pem(server.cert), key: pem(server.key), clientCa: pem(pki.ca.cert) } });
    await agent.app.listen(0, '127.0.0.1');
    httpsUrl = `https://127.0.0.1:${(agent.app.getHttpServer().address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(async () => {
    await agent?.app.close();
    await rm(work, { recursive: true, force: true });
  });

  const controllerFactory = (from: LabPki = pki, ca: LabPki = pki): AgentClientFactory =>
    httpAgentClientFactory({ ca: pem(ca.ca.cert), cert: pem(from.controller.cert), key: pem(from.controller.key) });

  it('the controller verifies the agent and presents its own certificate: calls and downloads work', async () => {
    const client = controllerFactory()({ host: 'hostA', url: httpsUrl, token: TOKEN });
    expect(await client.health()).toMatchObject({ host: 'hostA' });
    const capture = await client.startCapture({
      interface: 'mig0',
      filter: { migrationPorts: { from: 49152, to: 49215 }, rpcPorts: [16509] },
    });
    await client.stopCapture(capture.captureId);
    const file = join(work, 'capture.pcap');
    expect(await client.downloadCapture(capture.captureId, file)).toBeGreaterThan(0);
    await client.deleteCapture(capture.captureId);
  });

  it('a controller without a client certificate is refused in the handshake', async () => {
    const client = httpAgentClientFactory({ ca: pem(pki.ca.cert) })({ host: 'hostA', url: httpsUrl, token: TOKEN });
    await expect(client.health()).rejects.toMatchObject({ failure: 'unreachable' });
  });

  it('a client certificate from another CA is refused', async () => {
    const client = controllerFactory(stranger, pki)({ host: 'hostA', url: httpsUrl, token: TOKEN });
    await expect(client.health()).rejects.toMatchObject({ failure: 'unreachable' });
  });

  it('an agent whose certificate another CA signed is not trusted: the token is never sent', async () => {
    const client = controllerFactory(pki, stranger)({ host: 'hostA', url: httpsUrl, token: TOKEN });
    const err = (await client.health().catch((e: unknown) => e)) as AgentError;
    expect(err).toBeInstanceOf(AgentError);
    expect(err).toMatchObject({ failure: 'unreachable' });
    expect(err.reason).toMatch(
      /TLS to the agent failed: (UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT)/,
    );
  });

  it('the agent certificate must name the address dialled', async () => {
    const client = controllerFactory()({ host: 'hostA', url: httpsUrl.replace('127.0.0.1', 'localhost'), token: TOKEN });
    await expect(client.health()).rejects.toMatchObject({ reason: expect.stringMatching(/ERR_TLS_CERT_ALTNAME_INVALID/) });
  });

  it('with TLS configured, a plain http endpoint is refused before anything is sent', () => {
    expect(() => controllerFactory()({ host: 'hostA', url: 'http://192.0.2.11:7070', token: TOKEN })).toThrow(/requires https/);
  });

  it('plain http to the TLS agent gets nothing', async () => {
    const client = httpAgentClientFactory(null)({ host: 'hostA', url: httpsUrl.replace('https:', 'http:'), token: TOKEN });
    await expect(client.health()).rejects.toBeInstanceOf(AgentError);
  });
});
