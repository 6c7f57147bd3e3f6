import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acquireLabLock,
  agentHealth,
  agentHealthOverTls,
  agentToken,
  destroyGuest,
  instancesPath,
  LAB_FLAVORS,
  labDown,
  labUp,
  makeLabPki,
  startAgentOverTls,
  topology,
  whereIsGuest,
  type LabPki,
} from '../../lab';
import { ControllerApi, waitForMigration } from '../../lab/cli/controller-api';
import { controllerLogFile, startControllerProcess, type ControllerProcess } from '../../lab/cli/controller-process';
import { bootInstance, type LabInventory } from '../../lab/cli/lab-inventory';
import { crashNote } from '../support/lab/guest-faults';
import { requestMigration } from '../support/lab/lab-controller';

// The agent channel over mutual TLS on the lab: both host agents serve HTTPS with certificates of a CA made
// here with openssl and ask for a client certificate; the controller (its own process) verifies them with
// LIVEMIG_AGENT_TLS_CA and presents LIVEMIG_AGENT_TLS_CERT/_KEY. A migration goes through (pre-checks,
// marker proof, capture started, stopped and downloaded from the source agent), and clients or agents of
// another CA are refused.

const GUEST = 'lm-tls-1';
// Clear of the other lab tests' guests.
const GUEST_IP = '203.0.113.41';
const TOKEN = 'agent-tls-operator-token';

describe('controller ⇄ lab agents over mutual TLS', () => {
  let release: () => void = () => undefined;
  let work = '';
  let pki: LabPki;
  let stranger: LabPki;
  let controller: ControllerProcess | undefined;
  let api: ControllerApi;
  let inventory: LabInventory;
  const hostNames = () => topology().hosts.map((h) => h.name);
  const serveWith = (name: string, server: LabPki) =>
    startAgentOverTls(name, {
      cert: server.agents[name].cert,
      key: server.agents[name].key,
      clientCa: pki.ca.cert,
      ca: server.ca.cert,
      client: pki.controller,
    });

  beforeAll(async () => {
    release = await acquireLabLock();
    await labUp({ hosts: 2 });
    work = await mkdtemp(join(tmpdir(), 'livemig-agent-tls-'));
    const addresses = Object.fromEntries(topology().hosts.map((h) => [h.name, h.mgmtIp]));
    pki = await makeLabPki(join(work, 'pki'), { agents: addresses });
    stranger = await makeLabPki(join(work, 'stranger'), { agents: addresses, caName: 'somebody else' });
    const urls: Record<string, string> = {};
    for (const name of hostNames()) urls[name] = await serveWith(name, pki);

    const dataDir = join(work, 'controller');
    controller = await startControllerProcess({
      port: 18_900 + (process.pid % 300),
      logFile: controllerLogFile(work),
      env: {
        DATABASE_URL: `sqlite:${join(work, 'livemig.sqlite')}`,
        LIVEMIG_DATA_DIR: dataDir,
        LIVEMIG_TOKENS: `${TOKEN}:operator`,
        LIVEMIG_CAPTURE_TAIL_MS: '500',
        LIVEMIG_AGENT_TLS_CA: pki.ca.cert,
        LIVEMIG_AGENT_TLS_CERT: pki.controller.cert,
        LIVEMIG_AGENT_TLS_KEY: pki.controller.key,
        LOG_LEVEL: 'info',
      },
    });
    api = new ControllerApi(controller.url, TOKEN);
    const hostIds: Record<string, string> = {};
    for (const host of topology().hosts) {
      const body = {
        name: host.name,
        libvirtUri: host.libvirtUri,
        migrationAddress: host.mgmtIp,
        migrationInterface: host.migrationInterface,
        instancesPath: instancesPath(),
        vcpus: 8,
        memoryMiB: 4096,
        agentEndpoint: host.agentUrl,
        agentToken: agentToken(host.name),
        vtepIp: host.vtepIp,
      };
      // With the agent CA configured, a plain http endpoint is refused: the token would travel in clear text.
      const plain = await api.call<{ message: string }>('POST', '/hosts', body);
      expect(plain.status, JSON.stringify(plain.body)).toBe(400);
      hostIds[host.name] = (await api.ok<{ id: string }>('POST', '/hosts', { ...body, agentEndpoint: urls[host.name] })).id;
    }
    const flavorIds: Record<string, string> = {};
    for (const flavor of LAB_FLAVORS) flavorIds[flavor.name] = (await api.ok<{ id: string }>('POST', '/flavors', flavor)).id;
    inventory = { hostIds, flavorIds };
  }, 900_000);

  afterAll(async () => {
    try {
      await controller?.stop();
      await destroyGuest(GUEST).catch(() => undefined);
      // Down, so no later test finds agents that no longer answer plain HTTP.
      await labDown();
      if (work !== '') await rm(work, { recursive: true, force: true });
    } finally {
      release();
    }
  }, 120_000);

  it('the agents answer only a client with a certificate of their CA, and only when it trusts theirs', async () => {
    for (const name of hostNames()) {
      const token = agentToken(name);
      expect(await agentHealthOverTls(name, { ca: pki.ca.cert, client: pki.controller }, token)).toEqual({ ok: true, status: 200 });
      // No client certificate, or one of another CA: refused in the handshake, before any HTTP.
      const bare = await agentHealthOverTls(name, { ca: pki.ca.cert }, token);
      expect(bare.ok).toBe(false);
      expect(bare.status).toBeUndefined();
      const foreign = await agentHealthOverTls(name, { ca: pki.ca.cert, client: stranger.controller }, token);
      expect(foreign.ok).toBe(false);
      expect(foreign.status).toBeUndefined();
      // A client that trusts another CA does not accept the agent's certificate.
      const distrust = await agentHealthOverTls(name, { ca: stranger.ca.cert, client: pki.controller }, token);
      expect(distrust).toMatchObject({ ok: false, error: expect.stringMatching(/certificate/i) });
      // Plain HTTP gets nothing.
      expect((await agentHealth(name, token)).ok).toBe(false);
    }
  });

  it('migrates a guest A→B through the controller: pre-checks, marker proof and the capture over TLS', async () => {
    const vm = await bootInstance(api, inventory, { name: GUEST, host: 'host-a', ip: GUEST_IP, flavor: 'lab.nano' });
    const res = await requestMigration(api, inventory, vm, 'host-b');
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const done = await waitForMigration(api, res.body.id);
    expect(done.state, `${done.failureReason}${crashNote(vm.domainName)}`).toBe('completed');
    expect(await whereIsGuest(vm.domainName)).toEqual({ defined: ['host-b'], running: ['host-b'] });
    const report = await api.ok<{ reportState: string; network: Record<string, number | null>; detail: { notes: string[] } }>(
      'GET',
      `/migrations/${done.id}/report`,
    );
    // The migration stream's capture came from host-a's agent over TLS and was analyzed.
    expect(report.reportState, JSON.stringify(report.detail?.notes)).toBe('ready');
    expect(report.network.totalMigrationTimeMs).toBeGreaterThan(0);
  });

  it('an agent whose certificate another CA signed is refused: the pre-check names the agent', async () => {
    await serveWith('host-a', stranger);
    const vm = await api.ok<{ items: { id: string; name: string }[] }>('GET', '/instances?limit=500');
    const instance = vm.items.find((i) => i.name === GUEST);
    expect(instance).toBeDefined();
    const res = await api.call<{ details?: { check?: string }; message: string }>('POST', '/migrations', {
      instanceId: instance!.id,
      destinationHostId: inventory.hostIds['host-a'],
      policyName: 'nova-default',
    });
    expect([409, 422], JSON.stringify(res.body)).toContain(res.status);
    expect(res.body.details?.check, JSON.stringify(res.body)).toBe('agent');
  });
});
