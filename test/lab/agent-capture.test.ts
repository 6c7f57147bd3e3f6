import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { execa } from 'execa';
// @ts-expect-error pcap-parser ships no type declarations
import * as pcapParserModule from 'pcap-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentClient } from '../../src/agents/client/agent.client';
import { HttpAgentClient } from '../../src/agents/client/http-agent.client';

// The host agent for real: spawned inside a throwaway network namespace, driven
// through AgentClient, with its pcaps checked by an independent parser.
//
//   test process ──lmtr*── 198.18.241.1/30 ⇄ 198.18.241.2 [lmt-agent-*] 198.18.240.1 ⇄ 198.18.240.2 [lmt-peer-*]
//                          management link                 lmt-d0        data link       lmt-d1
//
// Addresses come from the benchmarking range 198.18.0.0/15 (RFC 2544), apart from the lab's ranges.

interface PcapPacket {
  header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number };
  data: Buffer;
}
interface PcapParser {
  on(event: 'packet', listener: (packet: PcapPacket) => void): PcapParser;
  on(event: 'end', listener: () => void): PcapParser;
  on(event: 'error', listener: (err: Error) => void): PcapParser;
}
const pcapParser = pcapParserModule as unknown as { parse(input: Readable): PcapParser };

const ROOT = resolve(__dirname, '../..');
const SUFFIX = String(process.pid % 100_000);
const NS_AGENT = `lmt-agent-${SUFFIX}`;
const NS_PEER = `lmt-peer-${SUFFIX}`;
const ROOT_IFACE = `lmtr${SUFFIX}`;
const AGENT_MGMT_IP = '198.18.241.2';
const AGENT_DATA_IP = '198.18.240.1';
const PEER_DATA_IP = '198.18.240.2';
const AGENT_PORT = 7070;
const MIGRATION_PORT = 49153;
const TOKEN = `lmt-token-${SUFFIX}-0123456789abcdef`;
const PROBE_MS = 2_000;

const ip = (...args: string[]) => execa('ip', args);
const inNs = (ns: string, ...argv: string[]) => ['ip', 'netns', 'exec', ns, ...argv];

let work = '';
let agentProcess: ChildProcess | undefined;
let peerProcess: ChildProcess | undefined;
let agentLog = '';
let client: AgentClient;

function spawnIn(ns: string, argv: string[]): ChildProcess {
  const [command = 'ip', ...args] = inNs(ns, ...argv);
  return spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** bin/livemig.js once the command is registered in the CLI; until then the same command through commander. */
function agentArgv(options: string[]): string[] {
  const main = join(ROOT, 'dist/src/cli/main.js');
  if (readFileSync(main, 'utf8').includes('registerAgentCommand')) return ['node', join(ROOT, 'bin/livemig.js'), 'agent', ...options];
  const script = [
    "const { Command } = require('commander');",
    "const program = new Command('livemig');",
    "require('./dist/src/cli/commands/agent.command').registerAgentCommand(program);",
    'program.parseAsync(process.argv).catch((e) => { console.error(e.message); process.exit(1); });',
  ].join('\n');
  return ['node', '-e', script, 'livemig', 'agent', ...options];
}

async function waitForHealth(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    if (agentProcess?.exitCode !== null) throw new Error(`the agent exited: ${agentLog}`);
    try {
      await client.health();
      return;
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`the agent did not answer within ${timeoutMs} ms: ${String(last)}\n${agentLog}`);
}

async function readPcap(file: string): Promise<{ magic: string; packets: PcapPacket[] }> {
  const bytes = await readFile(file);
  const magic = bytes.subarray(0, 4).toString('hex');
  // pcap-parser 0.2 knows only the microsecond magic. The record layout is the
  // same, so hand it a copy with that magic; the fraction field then holds ns.
  const copy = Buffer.from(bytes);
  if (magic === '4d3cb2a1') Buffer.from('d4c3b2a1', 'hex').copy(copy, 0);
  const packets: PcapPacket[] = [];
  await new Promise<void>((done, fail) => {
    pcapParser
      .parse(Readable.from([copy]))
      .on('packet', (p) => packets.push(p))
      .on('error', fail)
      .on('end', done);
  });
  return { magic, packets };
}

interface Decoded {
  protocol: number;
  src: string;
  dst: string;
  icmpType?: number;
  srcPort?: number;
  dstPort?: number;
}

/** Ethernet II + IPv4, enough to count ICMP echoes and TCP ports. */
function decode(frame: Buffer): Decoded | undefined {
  if (frame.length < 34 || frame.readUInt16BE(12) !== 0x0800) return undefined;
  const ipHeader = 14;
  const ihl = (frame[ipHeader] & 0x0f) * 4;
  const protocol = frame[ipHeader + 9];
  const addr = (o: number) => [...frame.subarray(o, o + 4)].join('.');
  const l4 = ipHeader + ihl;
  const d: Decoded = { protocol, src: addr(ipHeader + 12), dst: addr(ipHeader + 16) };
  if (protocol === 1) d.icmpType = frame[l4];
  if (protocol === 6) {
    d.srcPort = frame.readUInt16BE(l4);
    d.dstPort = frame.readUInt16BE(l4 + 2);
  }
  return d;
}

beforeAll(async () => {
  if (process.getuid?.() !== 0) throw new Error('this test creates network namespaces and needs root');
  if (!existsSync(join(ROOT, 'dist/src/cli/commands/agent.command.js'))) throw new Error('run `npm run build` first');
  for (const tool of ['tcpdump', 'fping']) {
    if ((await execa('which', [tool], { reject: false })).exitCode !== 0)
      throw new Error(`${tool} is not installed (Debian package ${tool})`);
  }

  work = await mkdtemp(join(tmpdir(), 'lmt-agent-'));
  await mkdir(join(work, 'instances'));
  await writeFile(join(work, 'token'), `${TOKEN}\n`, { mode: 0o600 });

  await ip('netns', 'add', NS_AGENT);
  await ip('netns', 'add', NS_PEER);
  await ip('-n', NS_AGENT, 'link', 'set', 'lo', 'up');
  await ip('-n', NS_PEER, 'link', 'set', 'lo', 'up');
  await ip('link', 'add', 'lmt-d0', 'netns', NS_AGENT, 'type', 'veth', 'peer', 'name', 'lmt-d1', 'netns', NS_PEER);
  await ip('-n', NS_AGENT, 'addr', 'add', `${AGENT_DATA_IP}/30`, 'dev', 'lmt-d0');
  await ip('-n', NS_PEER, 'addr', 'add', `${PEER_DATA_IP}/30`, 'dev', 'lmt-d1');
  await ip('-n', NS_AGENT, 'link', 'set', 'lmt-d0', 'up');
  await ip('-n', NS_PEER, 'link', 'set', 'lmt-d1', 'up');
  await ip('link', 'add', ROOT_IFACE, 'type', 'veth', 'peer', 'name', 'lmt-m0', 'netns', NS_AGENT);
  await ip('addr', 'add', '198.18.241.1/30', 'dev', ROOT_IFACE);
  await ip('-n', NS_AGENT, 'addr', 'add', `${AGENT_MGMT_IP}/30`, 'dev', 'lmt-m0');
  await ip('link', 'set', ROOT_IFACE, 'up');
  await ip('-n', NS_AGENT, 'link', 'set', 'lmt-m0', 'up');

  // The peer: an echo service on port 7 and a sink on a migration-range port.
  const peerScript = [
    "const net = require('net');",
    'net.createServer((s) => s.pipe(s)).listen(7);',
    `net.createServer((s) => s.resume()).listen(${MIGRATION_PORT});`,
    "console.log('peer ready');",
  ].join('\n');
  peerProcess = spawnIn(NS_PEER, ['node', '-e', peerScript]);
  await new Promise<void>((ready, fail) => {
    peerProcess?.stdout?.once('data', () => ready());
    peerProcess?.once('exit', (code) => fail(new Error(`peer exited with ${String(code)}`)));
  });

  agentProcess = spawnIn(
    NS_AGENT,
    agentArgv([
      '--listen',
      `${AGENT_MGMT_IP}:${AGENT_PORT}`,
      '--token-file',
      join(work, 'token'),
      '--host',
      'lmt-agent',
      '--data-dir',
      join(work, 'data'),
      '--instances-path',
      join(work, 'instances'),
    ]),
  );
  agentProcess.stdout?.on('data', (c: Buffer) => (agentLog += c.toString()));
  agentProcess.stderr?.on('data', (c: Buffer) => (agentLog += c.toString()));
  client = new HttpAgentClient({ host: 'lmt-agent', url: `http://${AGENT_MGMT_IP}:${AGENT_PORT}`, token: TOKEN });
  await waitForHealth(20_000);
});

afterAll(async () => {
  for (const child of [agentProcess, peerProcess]) {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }
  // Deleting the namespaces removes every veth end in them, and the root end with its peer.
  for (const ns of [NS_AGENT, NS_PEER]) await execa('ip', ['netns', 'del', ns], { reject: false });
  await execa('ip', ['link', 'del', ROOT_IFACE], { reject: false });
  if (work) await rm(work, { recursive: true, force: true });
});

describe('host agent in a network namespace', () => {
  it('answers health with its host name', async () => {
    expect(await client.health()).toMatchObject({ host: 'lmt-agent', uptimeSec: expect.any(Number) });
  });

  it('refuses a wrong token', async () => {
    const intruder = new HttpAgentClient({
      host: 'lmt-agent',
      url: `http://${AGENT_MGMT_IP}:${AGENT_PORT}`,
      token: 'not-the-token-0123456789',
    });
    await expect(intruder.health()).rejects.toMatchObject({ statusCode: 401 });
  });

  it('writes a storage marker that reads back the same', async () => {
    const instancesPath = join(work, 'instances');
    const marker = await client.createMarker(instancesPath);
    expect(await readFile(marker.path, 'utf8')).toBe(marker.content);
    expect(await client.readMarker(marker.markerId, instancesPath)).toEqual(marker);
    await client.deleteMarker(marker.markerId, instancesPath);
    expect(existsSync(marker.path)).toBe(false);
  });

  it('captures migration-range TCP and probes the peer at 10 ms, with nanosecond pcaps', async () => {
    const capture = await client.startCapture({
      interface: 'lmt-d0',
      filter: { migrationPorts: { from: 49152, to: 49215 }, rpcPorts: [16509] },
      snaplenBytes: 128,
      maxSizeMiB: 16,
    });
    const probe = await client.startProbe({ target: PEER_DATA_IP, intervalMs: 10, interface: 'lmt-d0', kind: 'icmp', tcpEchoPort: 7 });
    const probeStartedAt = Date.now();

    // 2 MiB into the migration-range port, from the agent's namespace.
    const sender = [
      "const s = require('net').connect(" + `${MIGRATION_PORT}, '${PEER_DATA_IP}'` + ', () => s.end(Buffer.alloc(2 * 1024 * 1024, 7)));',
      "s.on('close', () => process.exit(0));",
    ].join('\n');
    const [command = 'ip', ...args] = inNs(NS_AGENT, 'node', '-e', sender);
    await execa(command, args, { timeout: 20_000 });

    await new Promise((r) => setTimeout(r, Math.max(0, PROBE_MS - (Date.now() - probeStartedAt))));
    const probeResult = await client.stopProbe(probe.probeId);
    const captureResult = await client.stopCapture(capture.captureId);

    const probeFile = join(work, 'probe.pcap');
    const captureFile = join(work, 'capture.pcap');
    expect(await client.downloadProbe(probe.probeId, probeFile)).toBe(probeResult.fileBytes);
    expect(await client.downloadCapture(capture.captureId, captureFile)).toBe(captureResult.fileBytes);

    // The probe pcap: ~200 echo requests and as many replies, and the TCP echo session.
    const probePcap = await readPcap(probeFile);
    expect(probePcap.magic).toBe('4d3cb2a1');
    const probed = probePcap.packets.map((p) => decode(p.data)).filter((d): d is Decoded => d !== undefined);
    const requests = probed.filter((d) => d.icmpType === 8 && d.dst === PEER_DATA_IP).length;
    const replies = probed.filter((d) => d.icmpType === 0 && d.src === PEER_DATA_IP).length;
    const echoTcp = probed.filter((d) => d.protocol === 6 && (d.dstPort === 7 || d.srcPort === 7)).length;
    console.info(
      `probe: ${requests} requests, ${replies} replies, ${echoTcp} tcp/7 packets in the pcap; ping ${JSON.stringify(probeResult.ping)}; ` +
        `tcp echo ${JSON.stringify(probeResult.tcpEcho)}; capture ${JSON.stringify(probeResult.capture)}`,
    );
    expect(requests).toBeGreaterThanOrEqual(180);
    expect(requests).toBeLessThanOrEqual(260);
    // The pinger keeps its period: the median spacing of the requests on the wire is 10 ms.
    const requestTimesNs = probePcap.packets
      .filter((p) => decode(p.data)?.icmpType === 8)
      .map((p) => p.header.timestampSeconds * 1e9 + p.header.timestampMicroseconds);
    const spacingMs = requestTimesNs
      .slice(1)
      .map((t, i) => (t - requestTimesNs[i]) / 1e6)
      .sort((a, b) => a - b);
    const medianSpacingMs = spacingMs[Math.floor(spacingMs.length / 2)];
    console.info(`probe: median request spacing ${medianSpacingMs.toFixed(3)} ms, largest ${spacingMs.at(-1)?.toFixed(3)} ms`);
    expect(medianSpacingMs).toBeGreaterThan(9.5);
    expect(medianSpacingMs).toBeLessThan(11);
    expect(Math.abs(replies - requests)).toBeLessThanOrEqual(2);
    expect(Math.abs((probeResult.ping?.transmitted ?? 0) - requests)).toBeLessThanOrEqual(2);
    expect(probeResult.ping?.received).toBeGreaterThanOrEqual(requests - 2);
    expect(echoTcp).toBeGreaterThan(100);
    expect(probeResult.tcpEcho).toMatchObject({ connections: 1, connectionErrors: [] });
    expect(probeResult.tcpEcho?.echoed).toBe(probeResult.tcpEcho?.sent);
    expect(probeResult.capture?.packetsCaptured).toBe(probePcap.packets.length);
    expect(probeResult.capture?.packetsDroppedByKernel).toBe(0);

    // Nanosecond fractions: below 1e9, and not all multiples of 1000 (which µs timestamps would be).
    const fractions = probePcap.packets.map((p) => p.header.timestampMicroseconds);
    expect(Math.max(...fractions)).toBeLessThan(1e9);
    expect(fractions.some((f) => f % 1000 !== 0)).toBe(true);

    // The migration capture: the TCP stream on the migration port, snapped at 128 bytes, and no ICMP.
    const capturePcap = await readPcap(captureFile);
    expect(capturePcap.magic).toBe('4d3cb2a1');
    const captured = capturePcap.packets.map((p) => decode(p.data)).filter((d): d is Decoded => d !== undefined);
    const migration = captured.filter((d) => d.protocol === 6 && (d.dstPort === MIGRATION_PORT || d.srcPort === MIGRATION_PORT));
    console.info(
      `capture: ${capturePcap.packets.length} packets, ${migration.length} on port ${MIGRATION_PORT}; ${JSON.stringify(captureResult.counters)}`,
    );
    expect(migration.length).toBeGreaterThan(10);
    expect(migration.length).toBe(captured.length);
    expect(captured.some((d) => d.protocol === 1)).toBe(false);
    expect(Math.max(...capturePcap.packets.map((p) => p.header.capturedLength))).toBeLessThanOrEqual(128);
    expect(Math.max(...capturePcap.packets.map((p) => p.header.originalLength))).toBeGreaterThan(128);
    expect(captureResult).toMatchObject({
      state: 'stopped',
      counters: { packetsCaptured: capturePcap.packets.length, packetsDroppedByKernel: 0 },
    });

    await client.deleteProbe(probe.probeId);
    await client.deleteCapture(capture.captureId);
  });

  it('keeps a 1 ms probe period', async () => {
    const probe = await client.startProbe({ target: PEER_DATA_IP, intervalMs: 1, interface: 'lmt-d0' });
    await new Promise((r) => setTimeout(r, 1_000));
    const result = await client.stopProbe(probe.probeId);
    const file = join(work, 'probe-1ms.pcap');
    await client.downloadProbe(probe.probeId, file);
    const times = (await readPcap(file)).packets
      .filter((p) => decode(p.data)?.icmpType === 8)
      .map((p) => p.header.timestampSeconds * 1e9 + p.header.timestampMicroseconds);
    const spacingMs = times
      .slice(1)
      .map((t, i) => (t - times[i]) / 1e6)
      .sort((a, b) => a - b);
    const median = spacingMs[Math.floor(spacingMs.length / 2)];
    console.info(`1 ms probe: ${times.length} requests, median spacing ${median.toFixed(3)} ms; ${JSON.stringify(result.ping)}`);
    // Under load the pinger may start late in the second or skip a slot, so the count is held to the
    // probe's own first-to-last request span rather than to the wall-clock second.
    const spanMs = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1e6;
    console.info(`1 ms probe: first-to-last request span ${spanMs.toFixed(1)} ms`);
    expect(spanMs).toBeGreaterThan(200);
    expect(times.length).toBeGreaterThanOrEqual(Math.floor(spanMs / 2));
    expect(times.length).toBeLessThanOrEqual(Math.ceil(spanMs / 0.9) + 1);
    expect(median).toBeGreaterThan(0.9);
    expect(median).toBeLessThan(1.2);
    expect(result.ping?.received).toBe(result.ping?.transmitted);
    await client.deleteProbe(probe.probeId);
  });

  it("reports tcpdump's reason for a missing interface", async () => {
    await expect(client.startCapture({ interface: 'lmt-nosuch' })).rejects.toMatchObject({
      statusCode: 400,
      reason: expect.stringMatching(/did not start: tcpdump: lmt-nosuch: .*No such device/),
    });
  });
});
