import { existsSync } from 'node:fs';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpAgentClient } from '../../src/agents/client/http-agent.client';
import {
  CONTROLLER_IFACE,
  CONTROLLER_IP,
  PROBER,
  acquireLabLock,
  agentHealth,
  agentPid,
  agentToken,
  bootGuest,
  controllerEnv,
  destroyGuest,
  killAgent,
  labDown,
  labUp,
  startAgent,
  topology,
} from '../../lab';

// The lab as the controller sees it: from the ROOT namespace, over the
// controller leg only, every host's libvirtd and every agent (hosts and prober)
// answers; the prober's agent probes a guest through its tenant interface.

const GUEST = 'lm-agents-1';
// Clear of lab-guest-1 (.10) and the smoke test's guest (.20).
const GUEST_IP = '203.0.113.21';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const agentNames = () => [...topology().hosts.map((h) => h.name), 'prober'];

async function rootAddresses(): Promise<string> {
  return (await execa('ip', ['-4', '-o', 'addr', 'show'])).stdout;
}

describe('lab agents and the controller leg', () => {
  let releaseLab: () => void = () => undefined;

  beforeAll(async () => {
    releaseLab = await acquireLabLock();
    const up = await labUp({ hosts: 2, log: (l) => console.log(l) });
    console.log(up.alreadyUp ? 'lab was already up' : `lab up: ${up.upMs} ms`);
  });

  afterAll(async () => {
    try {
      await destroyGuest(GUEST);
      await labDown();
    } finally {
      releaseLab();
    }
  });

  it('gives the root namespace the controller leg and the management /25, nothing in 192.0.2.0/24', async () => {
    const addrs = await rootAddresses();
    expect(addrs).toMatch(new RegExp(`${CONTROLLER_IFACE}\\s+inet ${CONTROLLER_IP.replace(/\./g, '\\.')}/25 `));
    const labAddrs = addrs.split('\n').filter((l) => / inet (198\.51\.100\.|203\.0\.113\.)/.test(l));
    expect(labAddrs).toHaveLength(1);
    const routes = (await execa('ip', ['-4', 'route', 'show'])).stdout.split('\n');
    expect(routes.filter((r) => /^(198\.51\.100\.|203\.0\.113\.)/.test(r)).map((r) => r.split(' ')[0])).toEqual(['198.51.100.0/25']);
    // The lab adds no route into 192.0.2.0/24: whatever is there belongs to the machine, not to lm-ctl.
    expect(routes.filter((r) => r.startsWith('192.0.2.') && r.includes(CONTROLLER_IFACE))).toEqual([]);
  });

  it("reaches each host's libvirtd on its qemu+tcp URI from the root namespace", async () => {
    for (const host of topology().hosts) {
      const r = await execa('virsh', ['-c', host.libvirtUri, 'hostname'], { timeout: 15_000 });
      expect(r.stdout.trim().length).toBeGreaterThan(0);
      const uri = await execa('virsh', ['-c', host.libvirtUri, 'uri'], { timeout: 15_000 });
      expect(uri.stdout.trim()).toBe(host.libvirtUri);
    }
  });

  it.each(['host-a', 'host-b', 'prober'])('agent %s answers /v1/health with its token, 401 without or with another token', async (name) => {
    expect(agentNames()).toContain(name);
    const withToken = await agentHealth(name, agentToken(name));
    expect(withToken).toEqual({ ok: true, status: 200 });
    expect(await agentHealth(name, undefined)).toMatchObject({ ok: false, status: 401 });
    const other = name === 'prober' ? 'host-a' : 'prober';
    expect(agentToken(other)).not.toBe(agentToken(name));
    expect(await agentHealth(name, agentToken(other))).toMatchObject({ ok: false, status: 401 });
  });

  it('reports the name each agent was registered under', async () => {
    for (const host of topology().hosts) {
      const client = new HttpAgentClient({ host: host.name, url: host.agentUrl, token: agentToken(host.name) });
      expect((await client.health()).host).toBe(host.name);
    }
  });

  it('gives the controller the prober and external agents and the interfaces their probes leave by', () => {
    expect(controllerEnv()).toEqual({
      LIVEMIG_PROBER_AGENT_URL: 'http://198.51.100.3:7070',
      LIVEMIG_PROBER_AGENT_TOKEN: agentToken('prober'),
      LIVEMIG_PROBER_INTERFACE: PROBER.tenantInterface,
      LIVEMIG_EXTERNAL_PROBER_AGENT_URL: 'http://198.51.100.4:7070',
      LIVEMIG_EXTERNAL_PROBER_AGENT_TOKEN: agentToken('external'),
      LIVEMIG_EXTERNAL_PROBER_INTERFACE: 'ext0',
    });
  });

  it('host agents share the instances path: a marker made on host-a reads back on host-b', async () => {
    const [a, b] = topology().hosts;
    if (!a || !b) throw new Error('expected two hosts');
    const onA = new HttpAgentClient({ host: a.name, url: a.agentUrl, token: agentToken(a.name) });
    const onB = new HttpAgentClient({ host: b.name, url: b.agentUrl, token: agentToken(b.name) });
    const marker = await onA.createMarker(topology().instancesPath);
    try {
      expect((await onB.readMarker(marker.markerId, topology().instancesPath)).content).toBe(marker.content);
    } finally {
      await onA.deleteMarker(marker.markerId, topology().instancesPath);
    }
  });

  it("the prober's agent probes a guest through its tenant interface", async () => {
    await bootGuest({ name: GUEST, host: 'host-b', ip: GUEST_IP, memoryMiB: 128, vcpus: 1 });
    const env = controllerEnv();
    const prober = new HttpAgentClient({
      host: 'prober',
      url: String(env.LIVEMIG_PROBER_AGENT_URL),
      token: String(env.LIVEMIG_PROBER_AGENT_TOKEN),
    });
    const probe = await prober.startProbe({
      target: GUEST_IP,
      interface: String(env.LIVEMIG_PROBER_INTERFACE),
      intervalMs: 10,
      maxDurationSec: 30,
    });
    try {
      await sleep(1_500);
      const done = await prober.stopProbe(probe.probeId);
      console.log(`probe through ${done.interface}: ${JSON.stringify(done.ping)}`);
      expect(done.ping?.transmitted).toBeGreaterThan(50);
      expect(done.ping?.received).toBeGreaterThan(50);
    } finally {
      await prober.deleteProbe(probe.probeId);
    }
  });

  it('killAgent / startAgent: a dead agent is unreachable, then back with the same token', async () => {
    const token = agentToken('host-b');
    const before = agentPid('host-b');
    expect(before).toBeGreaterThan(0);
    await killAgent('host-b');
    expect(agentPid('host-b')).toBeUndefined();
    expect((await agentHealth('host-b', token)).ok).toBe(false);
    const after = await startAgent('host-b');
    expect(after).not.toBe(before);
    expect(agentToken('host-b')).toBe(token);
    expect(await agentHealth('host-b', token)).toEqual({ ok: true, status: 200 });
  });

  it('lab up restarts a dead agent without rebuilding the lab', async () => {
    await killAgent('prober');
    const again = await labUp({ hosts: 2 });
    expect(again.alreadyUp).toBe(true);
    expect(await agentHealth('prober', agentToken('prober'))).toEqual({ ok: true, status: 200 });
  });

  it('lab down ends every agent and removes the controller leg and its address', async () => {
    const pids = agentNames().map((n) => agentPid(n));
    expect(pids.every((p) => typeof p === 'number')).toBe(true);
    await destroyGuest(GUEST);
    const down = await labDown();
    expect(down.rootLeftovers).toEqual([]);
    for (const pid of pids) expect(existsSync(`/proc/${pid}`)).toBe(false);
    const link = await execa('ip', ['link', 'show', 'dev', CONTROLLER_IFACE], { reject: false });
    expect(link.exitCode).not.toBe(0);
    expect(
      (await rootAddresses()).split('\n').filter((l) => / inet (198\.51\.100\.|203\.0\.113\.)/.test(l) || l.includes(CONTROLLER_IFACE)),
    ).toEqual([]);
    const routes = (await execa('ip', ['-4', 'route', 'show'])).stdout.split('\n');
    expect(routes.filter((r) => /^(198\.51\.100\.|203\.0\.113\.)/.test(r))).toEqual([]);
    expect(() => agentToken('prober')).toThrow(/no agent token/);
  });
});
