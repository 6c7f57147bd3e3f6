import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentClient } from '../../../src/agents/client/agent.client';
import type { HostNetworkState, StartCaptureRequest } from '../../../src/agents/protocol';

// The host agent's behaviour as the controller relies on it, stated once through the AgentClient
// interface and run against every implementation: the fake of the unit tests, the real agent
// in-process on a fake process runner, and the real agent in a network namespace (lab project).
// What one of them cannot do is not written here; a case that fails for one is drift.

export interface AgentUnderContract {
  client: AgentClient;
  /** The host name the agent was started with. */
  host: string;
  /** The instances path the agent was configured with. */
  instancesPath: string;
  /** An interface of the host: captures and probes run on it, its link is read. */
  interfaceName: string;
  /** A valid interface name the host does not have. */
  absentInterface: string;
  /** An IP address reachable from `interfaceName`, for probes. */
  probeTarget: string;
  /** The host's VTEP address, for the (empty) network state the suite applies. */
  vtepIp: string;
  /** A valid domain name that does not run on the host. */
  absentGuest: string;
  /** Probes run at least this long before they are stopped (the real pinger needs a moment). */
  probeRunMs: number;
  close(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const PCAP_MAGICS = ['4d3cb2a1', 'd4c3b2a1'];
const MIGRATION_FILTER = { migrationPorts: { from: 49152, to: 49215 }, rpcPorts: [16509, 16509] };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What an AgentClient call must reject with: an AgentError from the agent, its status and reason. */
const rejected = (statusCode: number, reason: RegExp) =>
  expect.objectContaining({ name: 'AgentError', failure: 'rejected', statusCode, reason: expect.stringMatching(reason) });

export function describeAgentContract(name: string, start: () => Promise<AgentUnderContract>): void {
  describe(`host agent contract: ${name}`, () => {
    let agent: AgentUnderContract;
    let client: AgentClient;
    let work = '';

    beforeAll(async () => {
      agent = await start();
      client = agent.client;
      work = await mkdtemp(join(tmpdir(), 'livemig-contract-'));
    });
    afterAll(async () => {
      await agent.close();
      if (work) await rm(work, { recursive: true, force: true });
    });

    it('answers health with its host name, a version, its uptime and its clock', async () => {
      const health = await client.health();
      expect(health).toEqual({
        host: agent.host,
        version: expect.any(String),
        uptimeSec: expect.any(Number),
        time: expect.stringMatching(ISO_TIME),
      });
      expect(health.uptimeSec).toBeGreaterThanOrEqual(0);
      expect(Math.abs(Date.parse(health.time) - Date.now())).toBeLessThan(60_000);
      expect(client.host).toBe(agent.host);
    });

    describe('storage markers', () => {
      it('writes a marker in its instances path that reads back the same, then deletes it', async () => {
        const marker = await client.createMarker(agent.instancesPath);
        expect(marker).toEqual({
          markerId: expect.stringMatching(UUID),
          content: expect.stringMatching(/^[0-9a-f]{64}$/),
          path: `${agent.instancesPath}/.livemig-markers/${marker.markerId}.marker`,
        });
        expect(await client.readMarker(marker.markerId, agent.instancesPath)).toEqual(marker);
        expect(await client.readMarker(marker.markerId)).toEqual(marker);
        await client.deleteMarker(marker.markerId, agent.instancesPath);
        await expect(client.readMarker(marker.markerId, agent.instancesPath)).rejects.toEqual(
          rejected(404, /is not visible in this host's instances path/),
        );
        await expect(client.deleteMarker(marker.markerId)).rejects.toEqual(rejected(404, /does not exist/));
      });

      it('uses its configured instances path when none is given', async () => {
        const marker = await client.createMarker();
        expect(marker.path.startsWith(`${agent.instancesPath}/`)).toBe(true);
        await client.deleteMarker(marker.markerId);
      });

      it('refuses another instances path, a relative one and an id that is not a UUID with 400', async () => {
        await expect(client.createMarker('/elsewhere/instances')).rejects.toEqual(rejected(400, /is not this host's instances path/));
        await expect(client.createMarker('instances')).rejects.toEqual(rejected(400, /is not absolute/));
        await expect(client.readMarker(randomUUID(), `${agent.instancesPath}/../x`)).rejects.toEqual(rejected(400, /"\.\." segments/));
        await expect(client.readMarker('not-a-uuid')).rejects.toEqual(rejected(400, /is not a marker id/));
        await expect(client.deleteMarker('../../etc/passwd')).rejects.toEqual(rejected(400, /is not a marker id/));
      });
    });

    describe('captures', () => {
      const request = (): StartCaptureRequest => ({
        interface: agent.interfaceName,
        filter: MIGRATION_FILTER,
        snaplenBytes: 128,
        maxSizeMiB: 16,
      });

      it('starts a filtered capture, keeps its file until stopped, then hands over a pcap of the size it reports', async () => {
        const started = await client.startCapture(request());
        expect(started).toEqual({
          captureId: expect.stringMatching(UUID),
          interface: agent.interfaceName,
          bpf: 'tcp and (portrange 49152-49215 or port 16509)',
          state: 'running',
          startedAt: expect.stringMatching(ISO_TIME),
          endedAt: null,
          fileBytes: null,
          counters: null,
          message: null,
        });
        expect(await client.getCapture(started.captureId)).toEqual(started);
        const file = join(work, `${started.captureId}.pcap`);
        await expect(client.downloadCapture(started.captureId, file)).rejects.toEqual(rejected(409, /is still running; stop it first/));

        const stopped = await client.stopCapture(started.captureId);
        expect(stopped).toMatchObject({ captureId: started.captureId, state: 'stopped', endedAt: expect.stringMatching(ISO_TIME) });
        expect(stopped.counters).toEqual({
          packetsCaptured: expect.any(Number),
          packetsReceivedByFilter: expect.any(Number),
          packetsDroppedByKernel: expect.any(Number),
        });
        expect(stopped.fileBytes).toBeGreaterThanOrEqual(24);
        expect(await client.getCapture(started.captureId)).toEqual(stopped);
        expect(await client.stopCapture(started.captureId)).toEqual(stopped);

        expect(await client.downloadCapture(started.captureId, file)).toBe(stopped.fileBytes);
        const bytes = await readFile(file);
        expect(bytes.length).toBe(stopped.fileBytes);
        expect(bytes.subarray(0, 4).toString('hex')).toBe('4d3cb2a1');

        await client.deleteCapture(started.captureId);
        await expect(client.getCapture(started.captureId)).rejects.toEqual(rejected(404, /does not exist/));
        await expect(client.deleteCapture(started.captureId)).rejects.toEqual(rejected(404, /does not exist/));
      });

      it('captures everything without a filter, microsecond pcaps on request', async () => {
        const started = await client.startCapture({ interface: agent.interfaceName, nanosecond: false });
        expect(started.bpf).toBeNull();
        const stopped = await client.stopCapture(started.captureId);
        const file = join(work, `${started.captureId}.pcap`);
        await client.downloadCapture(started.captureId, file);
        expect(PCAP_MAGICS).toContain((await readFile(file)).subarray(0, 4).toString('hex'));
        expect(stopped.state).toBe('stopped');
        await client.deleteCapture(started.captureId);
      });

      it.each([
        ['a reversed port range', { filter: { migrationPorts: { from: 49215, to: 49152 } } }, /port range 49215-49152 is reversed/],
        ['port 0', { filter: { migrationPorts: { from: 0, to: 10 } } }, /migrationPorts\.from|from must not be less than 1/],
        ['an option as interface name', { interface: '-i' }, /interface/],
        ['a snap length below the minimum', { snaplenBytes: 1 }, /snaplenBytes/],
        ['an unknown field', { extra: true }, /property extra should not exist/],
      ])('refuses %s with 400 and the reason', async (_case, change, reason) => {
        await expect(client.startCapture({ ...request(), ...change })).rejects.toEqual(rejected(400, reason));
      });

      it('answers 400 for an id that is not one and 404 for an unknown one', async () => {
        await expect(client.getCapture('1')).rejects.toEqual(rejected(400, /is not a capture id/));
        await expect(client.stopCapture(randomUUID())).rejects.toEqual(rejected(404, /capture .* does not exist/));
        await expect(client.downloadCapture(randomUUID(), join(work, 'none.pcap'))).rejects.toEqual(rejected(404, /does not exist/));
      });
    });

    describe('probes', () => {
      it('pings a target from an interface, stops with a summary and hands over its pcap', async () => {
        const started = await client.startProbe({ target: agent.probeTarget, interface: agent.interfaceName, kind: 'icmp' });
        expect(started).toEqual({
          probeId: expect.stringMatching(UUID),
          target: agent.probeTarget,
          interface: agent.interfaceName,
          intervalMs: 10,
          state: 'running',
          startedAt: expect.stringMatching(ISO_TIME),
          endedAt: null,
          ping: null,
          capture: null,
          tcpEcho: null,
          fileBytes: null,
          message: null,
        });
        expect(await client.getProbe(started.probeId)).toEqual(started);
        const file = join(work, `${started.probeId}.pcap`);
        await expect(client.downloadProbe(started.probeId, file)).rejects.toEqual(rejected(409, /is still running; stop it first/));
        await sleep(agent.probeRunMs);

        const stopped = await client.stopProbe(started.probeId);
        expect(stopped).toMatchObject({
          probeId: started.probeId,
          state: 'stopped',
          endedAt: expect.stringMatching(ISO_TIME),
          tcpEcho: null,
        });
        expect(stopped.ping).toEqual({
          transmitted: expect.any(Number),
          received: expect.any(Number),
          errors: expect.any(Number),
          lossPct: expect.any(Number),
        });
        expect(stopped.ping?.received).toBeLessThanOrEqual(stopped.ping?.transmitted ?? 0);
        expect(stopped.capture).toEqual({
          packetsCaptured: expect.any(Number),
          packetsReceivedByFilter: expect.any(Number),
          packetsDroppedByKernel: expect.any(Number),
        });
        expect(await client.stopProbe(started.probeId)).toEqual(stopped);
        expect(await client.downloadProbe(started.probeId, file)).toBe(stopped.fileBytes);
        expect((await readFile(file)).subarray(0, 4).toString('hex')).toBe('4d3cb2a1');

        await client.deleteProbe(started.probeId);
        await expect(client.getProbe(started.probeId)).rejects.toEqual(rejected(404, /probe .* does not exist/));
      });

      it.each([
        ['a host name as target', { target: 'example.com' }, /target must be an ip address/],
        ['an interval below 1 ms', { intervalMs: 0 }, /intervalMs/],
        ['a kind other than icmp', { kind: 'udp' }, /kind/],
        ['an echo port above 65535', { tcpEchoPort: 70_000 }, /tcpEchoPort/],
      ])('refuses %s with 400 and the reason', async (_case, change, reason) => {
        const body = { target: agent.probeTarget, interface: agent.interfaceName, ...change };
        await expect(client.startProbe(body as Parameters<AgentClient['startProbe']>[0])).rejects.toEqual(rejected(400, reason));
      });

      it('answers 400 for an id that is not one and 404 for an unknown one', async () => {
        await expect(client.getProbe('x')).rejects.toEqual(rejected(400, /is not a probe id/));
        await expect(client.deleteProbe(randomUUID())).rejects.toEqual(rejected(404, /probe .* does not exist/));
      });
    });

    describe('migration link and guest memory', () => {
      it("reads its interface's speed and shaper, 404 for one it lacks, 400 for a bad name", async () => {
        const link = await client.migrationLink(agent.interfaceName);
        expect(Object.keys(link).sort()).toEqual(['interface', 'shapedRateBitsPerSec', 'speedBitsPerSec']);
        expect(link.interface).toBe(agent.interfaceName);
        for (const bitsPerSec of [link.speedBitsPerSec, link.shapedRateBitsPerSec])
          expect(bitsPerSec === null || bitsPerSec > 0).toBe(true);
        await expect(client.migrationLink(agent.absentInterface)).rejects.toEqual(
          rejected(404, new RegExp(`no interface ${agent.absentInterface}`)),
        );
        await expect(client.migrationLink('bad name')).rejects.toEqual(rejected(400, /interface/));
      });

      it('answers 404 for a guest that does not run here and 400 for a bad name or size', async () => {
        await expect(client.guestMemory(agent.absentGuest, 512)).rejects.toEqual(
          rejected(404, new RegExp(`no QEMU process for ${agent.absentGuest}`)),
        );
        await expect(client.guestMemory('../etc', 512)).rejects.toEqual(rejected(400, /domain/));
        await expect(client.guestMemory(agent.absentGuest, 0)).rejects.toEqual(rejected(400, /ramMiB must be a positive number of MiB/));
      });
    });

    describe('network', () => {
      const state = (revision: number, host = agent.host): HostNetworkState => ({
        host,
        revision,
        localVtepIp: agent.vtepIp,
        networks: [],
        routers: [],
        fipNamespaces: [],
      });

      it('holds no state when fresh, and will not reconcile towards none (409)', async () => {
        expect(await client.networkStatus()).toEqual({ desired: null, lastApply: null, driftLog: [] });
        await expect(client.reconcileNetwork()).rejects.toEqual(rejected(409, /no desired network state yet/));
      });

      it("refuses another host's state and an invalid one with 400, changing nothing", async () => {
        await expect(client.applyNetwork(state(1, 'some-other-host'))).rejects.toEqual(
          rejected(400, /host: "some-other-host" is not this agent's host/),
        );
        await expect(client.applyNetwork({ ...state(1), localVtepIp: '198.51.100.300' })).rejects.toEqual(rejected(400, /localVtepIp/));
        expect((await client.networkStatus()).desired).toBeNull();
      });

      it('applies a state, reports it in the status, refuses an older revision (409) and reconciles on demand', async () => {
        const report = await client.applyNetwork(state(2));
        expect(report).toEqual({
          host: agent.host,
          revision: 2,
          appliedAt: expect.stringMatching(ISO_TIME),
          durationMs: expect.any(Number),
          drift: [],
          commands: [],
        });
        const status = await client.networkStatus();
        expect(status.desired).toEqual(state(2));
        expect(status.lastApply).toEqual(report);
        expect(status.driftLog).toEqual([]);
        await expect(client.applyNetwork(state(1))).rejects.toEqual(rejected(409, /revision 1 is older than the applied revision 2/));
        expect(await client.applyNetwork(state(2))).toMatchObject({ revision: 2, drift: [] });
        expect(await client.reconcileNetwork()).toMatchObject({ host: agent.host, revision: 2, drift: [], commands: [] });
        expect((await client.networkStatus()).desired?.revision).toBe(2);
      });

      it('refuses a state of another generation (409, saying what it holds) until a take-over names that generation', async () => {
        const first = '6f1c0a52-0c7e-4f57-9a43-0e0b7c3f4a11';
        const second = 'a3e5b9d0-5d1f-4c1e-8b7a-2f9e3c1d6b22';
        await client.applyNetwork({ ...state(7), generation: first });
        const refused = client.applyNetwork({ ...state(1), generation: second });
        await expect(refused).rejects.toEqual(rejected(409, new RegExp(`holds network state generation ${first} revision 7`)));
        await expect(refused).rejects.toMatchObject({ details: { reason: 'other-generation', heldGeneration: first, heldRevision: 7 } });
        await expect(client.applyNetwork({ ...state(1), generation: second, takeOver: { generation: second } })).rejects.toEqual(
          rejected(409, /take-over of generation .* refused/),
        );
        expect(await client.applyNetwork({ ...state(1), generation: second, takeOver: { generation: first } })).toMatchObject({
          revision: 1,
        });
        // The take-over is not kept: what the agent holds is the new generation's state.
        expect((await client.networkStatus()).desired).toEqual({ ...state(1), generation: second });
        await expect(client.applyNetwork({ ...state(0), generation: second })).rejects.toMatchObject({
          details: { reason: 'older-revision', heldGeneration: second, heldRevision: 1 },
        });
      });

      it('arms a switchover, fires it once (404 after), and refuses bad ids, unknown ids and foreign states', async () => {
        await client.applyNetwork(state(3));
        const armed = await client.armSwitchover('m-1', state(4));
        expect(armed).toMatchObject({ id: 'm-1', host: agent.host, armedAt: expect.stringMatching(ISO_TIME), commands: [] });
        // Arming changes nothing yet: the desired state stays until the controller's next apply.
        expect((await client.networkStatus()).desired?.revision).toBe(3);
        const fired = await client.fireSwitchover('m-1');
        expect(fired).toMatchObject({ id: 'm-1', host: agent.host, ok: true, firedAt: expect.stringMatching(ISO_TIME), batches: [] });
        await expect(client.fireSwitchover('m-1')).rejects.toEqual(rejected(404, /no armed switchover m-1/));
        await client.armSwitchover('m-2', state(4));
        await client.disarmSwitchover('m-2');
        await expect(client.fireSwitchover('m-2')).rejects.toEqual(rejected(404, /no armed switchover m-2/));
        await expect(client.armSwitchover('bad id!', state(4))).rejects.toEqual(rejected(400, /switchover id/));
        await expect(client.fireSwitchover('../x')).rejects.toEqual(rejected(400, /switchover id/));
        await expect(client.armSwitchover('m-3', state(4, 'some-other-host'))).rejects.toEqual(rejected(400, /is not this agent's host/));
      });
    });
  });
}
