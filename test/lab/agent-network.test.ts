import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execIn, listNetns, run, sleep, waitFor } from '../../lab/exec';
import { acquireLabLock } from '../../lab/lab-lock';
import type { AgentNetworkStatus, HostNetworkState, NetworkApplyReport, NetworkPlug, RouterPlacement } from '../../src/agents/protocol';

// Two compute "hosts" (network namespaces) run the real agent each; the test
// plays Nova (plugs guest ports onto brq bridges) and the controller (PUTs each
// host's desired state). Guests are small namespaces with a veth each.
//
//   [lmt-ng1] [lmt-ng3]                 [lmt-ng2]
//     vnet1     vnet3                     vnet2
//   [lmt-nh1: brq1000 brq1001 ...]    [lmt-nh2: ...]
//      tun0 198.51.100.131 ext0          tun0 198.51.100.132 ext0
//        └──── br-tun ── [lmt-nfab] ── br-ext ──── [lmt-next 192.0.2.129]
//   test ─ lmt-nm1 198.18.251.1/30 ⇄ .2 (h1)   lmt-nm2 198.18.251.5/30 ⇄ .6 (h2)
//
// Agents run under `nsenter --net`, not `ip netns exec`: the latter gives the
// agent a private mount namespace, so the qrouter/fip namespaces it makes would
// be invisible to the rest of the machine and would die with the agent.

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'dist/src/cli/main.js');
const TOKEN = 'lmt-network-token-0123456789abcdef';
const RECONCILE_MS = 500;
const FAB = 'lmt-nfab';
const EXT = 'lmt-next';

interface Host {
  name: 'h1' | 'h2';
  netns: string;
  vtep: string;
  mgmt: string;
  rootIface: string;
  rootIp: string;
  fg: string;
  fgIp: string;
  dvrMac: string;
}
const H1: Host = {
  name: 'h1',
  netns: 'lmt-nh1',
  vtep: '198.51.100.131',
  mgmt: '198.18.251.2',
  rootIface: 'lmt-nm1',
  rootIp: '198.18.251.1',
  fg: 'fg-1a2b3c4d5e1',
  fgIp: '192.0.2.141',
  dvrMac: 'fa:16:3f:00:00:01',
};
const H2: Host = {
  name: 'h2',
  netns: 'lmt-nh2',
  vtep: '198.51.100.132',
  mgmt: '198.18.251.6',
  rootIface: 'lmt-nm2',
  rootIp: '198.18.251.5',
  fg: 'fg-1a2b3c4d5e2',
  fgIp: '192.0.2.142',
  dvrMac: 'fa:16:3f:00:00:02',
};
const HOSTS = [H1, H2];
const other = (h: Host) => (h === H1 ? H2 : H1);
const prefix = (h: Host) => `${h.netns}-`;

interface Net {
  id: string;
  vni: number;
  gw: string;
  gwMac: string;
  qr: string;
  tap: string;
}
const NET_A: Net = { id: 'net-a', vni: 1000, gw: '203.0.113.1', gwMac: 'fa:16:3e:aa:00:01', qr: 'qr-00000000a01', tap: 'tap00000000a01' };
const NET_B: Net = { id: 'net-b', vni: 1001, gw: '203.0.113.129', gwMac: 'fa:16:3e:aa:00:02', qr: 'qr-00000000b01', tap: 'tap00000000b01' };
const NETS = [NET_A, NET_B];

interface Guest {
  netns: string;
  tap: string;
  ip: string;
  mac: string;
  net: Net;
}
const G1: Guest = { netns: 'lmt-ng1', tap: 'vnet1', ip: '203.0.113.11', mac: 'fa:16:3e:00:01:11', net: NET_A };
const G2: Guest = { netns: 'lmt-ng2', tap: 'vnet2', ip: '203.0.113.12', mac: 'fa:16:3e:00:01:12', net: NET_A };
const G3: Guest = { netns: 'lmt-ng3', tap: 'vnet3', ip: '203.0.113.140', mac: 'fa:16:3e:00:02:40', net: NET_B };
const GUESTS = [G1, G2, G3];

const ROUTER_ID = '5b1f0c2a9d3e';
const QROUTER = `qrouter-${ROUTER_ID}`;
const FIP_NS = 'fip-ext1';
const FIP = '192.0.2.170';
/** The legacy router's floating IP, on its qg leg. */
const LEGACY_FIP = '192.0.2.171';
const QG = 'qg-5b1f0c2a9d3';
const QG_IP = '192.0.2.150';
const EXT_GW = '192.0.2.129';
const RFP = 'rfp-5b1f0c2a9d3';
const FPR = 'fpr-5b1f0c2a9d3';

type RouterMode = { kind: 'dvr' } | { kind: 'legacy'; on: Host };
interface Placement {
  where: Map<Guest, Host>;
  router: RouterMode;
  /** The guest whose port holds the floating IP, if any. */
  fipOn: Guest | null;
}
let revision = 1;

/** What the controller would compile for one host (test-local: the real compiler is the controller's). */
function compile(h: Host, p: Placement): HostNetworkState {
  const here = GUESTS.filter((g) => p.where.get(g) === h);
  const routerHere = p.router.kind === 'dvr' ? here.length > 0 : p.router.on === h;
  const legacyRouterHost = p.router.kind === 'legacy' ? p.router.on : null;
  const netsHere = NETS.filter((n) => routerHere || here.some((g) => g.net === n));
  const networks: NetworkPlug[] = netsHere.map((n) => {
    const fdb = GUESTS.filter((g) => g.net === n && p.where.get(g) !== undefined && p.where.get(g) !== h).map((g) => ({
      mac: g.mac,
      vtepIp: (p.where.get(g) as Host).vtep,
    }));
    // A legacy router's gateway MAC lives on one host only: l2population points at it.
    if (legacyRouterHost && legacyRouterHost !== h) fdb.push({ mac: n.gwMac, vtepIp: legacyRouterHost.vtep });
    return {
      networkId: n.id,
      vni: n.vni,
      mtu: 1450,
      bridge: `brq${n.vni}`,
      vxlanDevice: `vxlan-${n.vni}`,
      floodVteps: [other(h).vtep],
      fdb,
    };
  });
  const dvr = p.router.kind === 'dvr';
  const fipHere = dvr && p.fipOn !== null && p.where.get(p.fipOn) === h;
  const routers: RouterPlacement[] = routerHere
    ? [
        {
          routerId: ROUTER_ID,
          namespace: QROUTER,
          distributed: dvr,
          interfaces: NETS.map((n) => ({
            subnetId: `sub-${n.id}`,
            device: n.qr,
            peerDevice: n.tap,
            bridge: `brq${n.vni}`,
            vxlanDevice: `vxlan-${n.vni}`,
            gatewayIp: n.gw,
            prefixLength: 25,
            gatewayMac: n.gwMac,
          })),
          arp: dvr ? GUESTS.map((g) => ({ ip: g.ip, mac: g.mac, device: g.net.qr })) : [],
          floatingIps:
            fipHere && p.fipOn
              ? [{ floatingIp: FIP, fixedIp: p.fipOn.ip }]
              : !dvr && p.fipOn
                ? [{ floatingIp: LEGACY_FIP, fixedIp: p.fipOn.ip }]
                : [],
          dvrHostMac: dvr ? h.dvrMac : null,
          externalGateway: !dvr && p.fipOn ? { device: QG, address: QG_IP, prefixLength: 25, gatewayIp: EXT_GW } : null,
        },
      ]
    : [];
  const fipNamespaces = fipHere
    ? [
        {
          namespace: FIP_NS,
          externalNetworkId: 'ext1',
          gatewayDevice: h.fg,
          gatewayAddress: h.fgIp,
          prefixLength: 25,
          externalGatewayIp: EXT_GW,
          routers: [
            {
              routerId: ROUTER_ID,
              routerNamespace: QROUTER,
              rfpDevice: RFP,
              fprDevice: FPR,
              rfpIp: '169.254.106.114',
              fprIp: '169.254.106.115',
              table: 16,
            },
          ],
        },
      ]
    : [];
  return { host: h.name, revision, localVtepIp: h.vtep, networks, routers, fipNamespaces };
}

let work = '';
const agents = new Map<Host, ChildProcess>();
const agentLogs = new Map<Host, string>();
let release: () => void = () => undefined;

const ip = (...args: string[]) => run(['ip', ...args]);
const url = (h: Host, path: string) => `http://${h.mgmt}:7070${path}`;
const auth = { authorization: `Bearer ${TOKEN}` };

async function call<T>(
  h: Host,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = auth,
): Promise<{ status: number; body: T }> {
  const res = await fetch(url(h, path), {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function apply(h: Host, state: HostNetworkState): Promise<NetworkApplyReport> {
  const res = await call<NetworkApplyReport>(h, 'PUT', '/v1/network', state);
  if (res.status !== 200) throw new Error(`PUT /v1/network on ${h.name}: ${res.status} ${JSON.stringify(res.body)}`);
  const failed = res.body.drift.filter((d) => !d.repaired);
  console.log(
    `apply ${h.name} rev ${state.revision}: ${res.body.durationMs} ms, ${res.body.commands.length} commands, ${res.body.drift.length} drift${failed.length ? `, NOT repaired: ${JSON.stringify(failed)}` : ''}`,
  );
  return res.body;
}

async function applyAll(p: Placement, order: Host[] = HOSTS): Promise<void> {
  revision++;
  for (const h of order) {
    const report = await apply(h, compile(h, p));
    expect(report.drift.filter((d) => !d.repaired)).toEqual([]);
  }
}

async function startAgent(h: Host, reconcileMs = RECONCILE_MS): Promise<void> {
  const argv = [
    `--net=/run/netns/${h.netns}`,
    process.execPath,
    CLI,
    'agent',
    '--listen',
    `${h.mgmt}:7070`,
    '--token-file',
    join(work, 'token'),
    '--host',
    h.name,
    '--data-dir',
    join(work, h.name),
    '--instances-path',
    work,
    '--external-interface',
    'ext0',
    '--reconcile-interval-ms',
    String(reconcileMs),
    '--netns-prefix',
    prefix(h),
  ];
  const child = spawn('nsenter', argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = (c: Buffer) => agentLogs.set(h, (agentLogs.get(h) ?? '') + c.toString());
  child.stdout?.on('data', log);
  child.stderr?.on('data', log);
  agents.set(h, child);
  await waitFor(
    `the ${h.name} agent`,
    async () => {
      if (child.exitCode !== null) throw new Error(`agent ${h.name} exited: ${agentLogs.get(h) ?? ''}`);
      const res = await fetch(url(h, '/v1/health'), { headers: auth, signal: AbortSignal.timeout(1_000) }).catch(() => null);
      return res?.status === 200 ? true : undefined;
    },
    30_000,
    200,
  );
}

async function killAgent(h: Host, signal: NodeJS.Signals): Promise<void> {
  const child = agents.get(h);
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await Promise.race([exited, sleep(5_000)]);
}

async function plug(g: Guest, h: Host): Promise<void> {
  await ip(
    'link',
    'add',
    'eth0',
    'netns',
    g.netns,
    'address',
    g.mac,
    'mtu',
    '1450',
    'type',
    'veth',
    'peer',
    'name',
    g.tap,
    'netns',
    h.netns,
  );
  await ip('-n', h.netns, 'link', 'set', g.tap, 'master', `brq${g.net.vni}`, 'up');
  await ip('-n', g.netns, 'addr', 'add', `${g.ip}/25`, 'dev', 'eth0');
  await ip('-n', g.netns, 'link', 'set', 'eth0', 'up');
  await ip('-n', g.netns, 'route', 'add', 'default', 'via', g.net.gw);
  // The guest announces itself, as QEMU does after a migration, so bridges relearn where its MAC is.
  await execIn(g.netns, ['arping', '-U', '-c', '1', '-I', 'eth0', '-s', g.ip, g.ip], { allowFailure: true });
}

async function unplug(g: Guest, h: Host): Promise<void> {
  await ip('-n', h.netns, 'link', 'del', g.tap);
}

async function ping(ns: string, target: string, count = 3): Promise<{ ok: boolean; out: string }> {
  const r = await execIn(ns, ['ping', '-c', String(count), '-i', '0.2', '-W', '1', target], { allowFailure: true });
  return {
    ok: r.exitCode === 0,
    out: r.stdout
      .split('\n')
      .filter((l) => /packets transmitted|rtt/.test(l))
      .join(' | '),
  };
}

/** Pings until one gets through (ARP/FDB settle), then a counted run that must lose nothing. */
async function pingSettled(ns: string, target: string, count = 5): Promise<string> {
  await waitFor(`${ns} → ${target}`, async () => ((await ping(ns, target, 1)).ok ? true : undefined), 15_000, 200);
  const r = await ping(ns, target, count);
  expect(r.ok, r.out).toBe(true);
  expect(r.out).toContain(`${count} received`);
  return r.out;
}

async function counters(ns: string, dev: string): Promise<{ tx: number; rx: number }> {
  const r = await ip('-n', ns, '-s', '-j', 'link', 'show', 'dev', dev);
  const [link] = JSON.parse(r.stdout) as Array<{ stats64: { tx: { packets: number }; rx: { packets: number } } }>;
  return { tx: link?.stats64.tx.packets ?? -1, rx: link?.stats64.rx.packets ?? -1 };
}

async function fdbDst(h: Host, dev: string): Promise<string[]> {
  const r = await execIn(h.netns, ['bridge', '-j', 'fdb', 'show', 'dev', dev]);
  return (JSON.parse(r.stdout || '[]') as Array<{ mac: string; dst?: string }>)
    .filter((e) => e.dst)
    .map((e) => `${e.mac} ${e.dst}`)
    .sort();
}

async function status(h: Host): Promise<AgentNetworkStatus> {
  return (await call<AgentNetworkStatus>(h, 'GET', '/v1/network')).body;
}

/** Waits for the counter to stop moving (IPv6 chatter after links come up). */
async function quiet(ns: string, dev: string): Promise<number> {
  let last = (await counters(ns, dev)).tx;
  return waitFor(
    `${dev} in ${ns} to go quiet`,
    async () => {
      await sleep(1_000);
      const now = (await counters(ns, dev)).tx;
      const settled = now === last;
      last = now;
      return settled ? now : undefined;
    },
    20_000,
    0,
  );
}

/** tcpdump on a device, to show what crossed it (returns a stopper giving the lines). */
async function watch(ns: string, dev: string): Promise<() => Promise<string>> {
  const child = spawn('ip', ['netns', 'exec', ns, 'tcpdump', '-l', '-n', '-e', '-i', dev, '-Q', 'out'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  await sleep(500);
  return async () => {
    await sleep(300);
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    return out.trim().split('\n').filter(Boolean).join(' | ');
  };
}

async function cleanup(): Promise<void> {
  for (const h of HOSTS) await killAgent(h, 'SIGKILL');
  for (const ns of await listNetns()) if (ns.startsWith('lmt-n')) await ip('netns', 'del', ns).catch(() => undefined);
  for (const h of HOSTS) await ip('link', 'del', h.rootIface).catch(() => undefined);
}

const dvrPlacement = (fipOn: Guest | null = G1): Placement => ({
  where: new Map([
    [G1, H1],
    [G2, H2],
    [G3, H1],
  ]),
  router: { kind: 'dvr' },
  fipOn,
});

describe('host agent network: real namespaces, two agents', () => {
  beforeAll(async () => {
    if (process.getuid?.() !== 0) throw new Error('this test creates network namespaces and needs root');
    if (!existsSync(CLI)) throw new Error('run `npm run build` first: the agents run the built CLI');
    release = await acquireLabLock();
    await cleanup();
    work = await mkdtemp(join(tmpdir(), 'lmt-network-'));
    await writeFile(join(work, 'token'), `${TOKEN}\n`, { mode: 0o600 });
    for (const ns of [FAB, EXT, ...HOSTS.map((h) => h.netns), ...GUESTS.map((g) => g.netns)]) {
      await ip('netns', 'add', ns);
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
      // No IPv6 chatter: the VXLAN counters must move only with the test's traffic.
      await execIn(ns, ['sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
    }
    for (const br of ['br-tun', 'br-ext']) {
      await ip('-n', FAB, 'link', 'add', br, 'type', 'bridge');
      await ip('-n', FAB, 'link', 'set', br, 'up');
    }
    for (const h of HOSTS) {
      const l = h.name;
      await ip('link', 'add', 'tun0', 'netns', h.netns, 'type', 'veth', 'peer', 'name', `${l}t`, 'netns', FAB);
      await ip('link', 'add', 'ext0', 'netns', h.netns, 'type', 'veth', 'peer', 'name', `${l}e`, 'netns', FAB);
      await ip('-n', FAB, 'link', 'set', `${l}t`, 'master', 'br-tun', 'up');
      await ip('-n', FAB, 'link', 'set', `${l}e`, 'master', 'br-ext', 'up');
      await ip('-n', h.netns, 'addr', 'add', `${h.vtep}/25`, 'dev', 'tun0');
      await ip('-n', h.netns, 'link', 'set', 'tun0', 'up');
      await ip('-n', h.netns, 'link', 'set', 'ext0', 'up');
      await ip('link', 'add', h.rootIface, 'type', 'veth', 'peer', 'name', 'mgmt0', 'netns', h.netns);
      await ip('addr', 'add', `${h.rootIp}/30`, 'dev', h.rootIface);
      await ip('link', 'set', h.rootIface, 'up');
      await ip('-n', h.netns, 'addr', 'add', `${h.mgmt}/30`, 'dev', 'mgmt0');
      await ip('-n', h.netns, 'link', 'set', 'mgmt0', 'up');
    }
    await ip('link', 'add', 'ext0', 'netns', EXT, 'type', 'veth', 'peer', 'name', 'xe', 'netns', FAB);
    await ip('-n', FAB, 'link', 'set', 'xe', 'master', 'br-ext', 'up');
    await ip('-n', EXT, 'addr', 'add', `${EXT_GW}/25`, 'dev', 'ext0');
    await ip('-n', EXT, 'link', 'set', 'ext0', 'up');
    // The lab pre-creates brq1000/vxlan-1000 on its hosts; h1 gets the same here, to be adopted as is.
    await ip('-n', H1.netns, 'link', 'add', 'brq1000', 'mtu', '1450', 'type', 'bridge');
    await ip(
      '-n',
      H1.netns,
      'link',
      'add',
      'vxlan-1000',
      'mtu',
      '1450',
      'type',
      'vxlan',
      'id',
      '1000',
      'local',
      H1.vtep,
      'dstport',
      '4789',
      'nolearning',
    );
    await ip('-n', H1.netns, 'link', 'set', 'vxlan-1000', 'master', 'brq1000', 'up');
    await ip('-n', H1.netns, 'link', 'set', 'brq1000', 'up');
    for (const h of HOSTS) await startAgent(h);
  });

  afterAll(async () => {
    try {
      for (const h of HOSTS) {
        const log = agentLogs.get(h) ?? '';
        const drift = log.split('\n').filter((l) => l.includes('[Network]'));
        if (drift.length) console.log(`${h.name} agent network log:\n${drift.map((l) => l.replace(/\u001b\[[0-9;]*m/g, '')).join('\n')}`);
      }
      await cleanup();
      if (work) await rm(work, { recursive: true, force: true });
      const left = (await listNetns()).filter((n) => n.startsWith('lmt-n'));
      if (left.length) console.log(`namespaces left behind: ${left.join(' ')}`);
    } finally {
      release();
    }
  });

  it('refuses every network route without the token (401) and an injected interface name (400)', async () => {
    for (const [method, path] of [
      ['GET', '/v1/network'],
      ['PUT', '/v1/network'],
      ['POST', '/v1/network/reconcile'],
    ] as const) {
      expect((await call(H1, method, path, method === 'PUT' ? compile(H1, dvrPlacement()) : undefined, {})).status).toBe(401);
    }
    const bad = compile(H1, dvrPlacement());
    const qr = bad.routers[0]?.interfaces[0];
    if (!qr) throw new Error('compile');
    qr.device = '-i';
    const res = await call<{ message: string }>(H1, 'PUT', '/v1/network', bad);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('"-i"');
    console.log(`400: ${res.body.message}`);
  });

  it('builds both hosts, adopts the pre-made brq1000/vxlan-1000, and a second apply runs nothing', async () => {
    revision++;
    const p = dvrPlacement();
    for (const h of HOSTS) {
      const first = await apply(h, compile(h, p));
      expect(first.drift.filter((d) => !d.repaired)).toEqual([]);
      if (h === H1) expect(first.drift.map((d) => d.subject)).not.toContain('vxlan-1000');
      const again = await apply(h, compile(h, p));
      expect(again.commands).toEqual([]);
      expect(again.drift).toEqual([]);
    }
    for (const g of GUESTS) await plug(g, p.where.get(g) as Host);
    expect(await fdbDst(H1, 'vxlan-1000')).toEqual([`00:00:00:00:00:00 ${H2.vtep}`, `${G2.mac} ${H2.vtep}`]);
    expect(await fdbDst(H2, 'vxlan-1000')).toEqual([`00:00:00:00:00:00 ${H1.vtep}`, `${G1.mac} ${H1.vtep}`]);
    expect(await fdbDst(H2, 'vxlan-1001')).toEqual([`00:00:00:00:00:00 ${H1.vtep}`, `${G3.mac} ${H1.vtep}`]);
  });

  it('east-west on one subnet across the VXLAN, and routed between subnets through the DVR qrouter', async () => {
    console.log(`g1(h1) → g2(h2), same subnet: ${await pingSettled(G1.netns, G2.ip)}`);
    console.log(`g2(h2) → g3(h1), routed by h2's qrouter: ${await pingSettled(G2.netns, G3.ip)}`);
  });

  it('DVR: routed traffic between two ports on one host, gateway ARP included, never touches the VXLAN devices', async () => {
    await pingSettled(G1.netns, G3.ip, 1);
    // Neighbour entries left by the east-west pings would be re-probed across the tunnel (g2 asking g1): forget them.
    for (const g of GUESTS) await ip('-n', g.netns, 'neigh', 'flush', 'all');
    const before = await Promise.all([quiet(H1.netns, 'vxlan-1000'), quiet(H1.netns, 'vxlan-1001')]);
    // g1 and g3 now ARP (broadcast) for their gateways during the pings: the local qr answers, nothing crosses.
    const seen = await watch(H1.netns, 'vxlan-1000');
    const out = await pingSettled(G1.netns, G3.ip, 20);
    const after = await Promise.all([counters(H1.netns, 'vxlan-1000'), counters(H1.netns, 'vxlan-1001')]);
    console.log(`frames out of h1 vxlan-1000 during the pings: ${(await seen()) || 'none'}`);
    console.log(`DVR g1 → g3 on h1: ${out}; vxlan-1000 tx ${before[0]} → ${after[0].tx}, vxlan-1001 tx ${before[1]} → ${after[1].tx}`);
    expect(after.map((c) => c.tx)).toEqual(before);
  });

  it('DVR: the gateway MAC never leaves a host (rewritten to the host MAC); gateway ARP stays local', async () => {
    // Routed g3(h1) → g2(h2): the frame leaves h1's vxlan-1000 with h1's DVR MAC, so h2's bridge learns that, not the gateway MAC.
    await pingSettled(G3.netns, G2.ip, 3);
    const learned = JSON.parse((await execIn(H2.netns, ['bridge', '-j', 'fdb', 'show', 'br', 'brq1000'])).stdout) as Array<{
      mac: string;
      ifname: string;
    }>;
    const onTunnel = learned.filter((e) => e.ifname === 'vxlan-1000').map((e) => e.mac);
    console.log(`h2 brq1000 learned on vxlan-1000: ${onTunnel.join(' ')}`);
    expect(onTunnel).toContain(H1.dvrMac);
    expect(onTunnel).not.toContain(NET_A.gwMac);
    const table = (await execIn(H1.netns, ['nft', 'list', 'table', 'bridge', 'livemig-dvr'])).stdout;
    expect(table).toContain(`ether saddr set ${H1.dvrMac}`);
  });

  it('legacy router on h2: the same routed traffic between two h1 ports crosses the tunnel twice; its floating IP answers on qg', async () => {
    const legacy: Placement = { where: dvrPlacement().where, router: { kind: 'legacy', on: H2 }, fipOn: G1 };
    await applyAll(legacy, [H2, H1]);
    expect((await listNetns()).filter((n) => n.startsWith(prefix(H1)))).toEqual([]);
    await pingSettled(G1.netns, G3.ip, 3);
    const before = await Promise.all([counters(H1.netns, 'vxlan-1000'), counters(H1.netns, 'vxlan-1001')]);
    const out = await pingSettled(G1.netns, G3.ip, 20);
    const after = await Promise.all([counters(H1.netns, 'vxlan-1000'), counters(H1.netns, 'vxlan-1001')]);
    console.log(
      `legacy g1 → g3 via h2: ${out}; h1 vxlan-1000 tx ${before[0]?.tx} → ${after[0]?.tx}, vxlan-1001 tx ${before[1]?.tx} → ${after[1]?.tx}`,
    );
    expect((after[0]?.tx ?? 0) - (before[0]?.tx ?? 0)).toBeGreaterThanOrEqual(20);
    expect((after[1]?.tx ?? 0) - (before[1]?.tx ?? 0)).toBeGreaterThanOrEqual(20);
    // North-south through the legacy router: qg macvlan in h2's qrouter, DNAT to g1 on h1 across the tunnel.
    const router = `${prefix(H2)}${QROUTER}`;
    const qgBefore = await counters(router, QG);
    console.log(`external → legacy FIP ${LEGACY_FIP} (qg on h2, port on h1): ${await pingSettled(EXT, LEGACY_FIP, 5)}`);
    const qgAfter = await counters(router, QG);
    const qgMac = (JSON.parse((await ip('-n', router, '-j', 'link', 'show', QG)).stdout) as Array<{ address: string }>)[0]?.address;
    const neigh = (JSON.parse((await ip('-n', EXT, '-j', 'neigh', 'show', LEGACY_FIP)).stdout) as Array<{ lladdr?: string }>)[0]?.lladdr;
    console.log(
      `h2 ${QG}: rx ${qgBefore.rx} → ${qgAfter.rx}, tx ${qgBefore.tx} → ${qgAfter.tx}; external neighbour ${LEGACY_FIP} is-at ${neigh} (qg ${qgMac})`,
    );
    expect(qgAfter.rx - qgBefore.rx).toBeGreaterThanOrEqual(5);
    expect(neigh).toBe(qgMac);
    await applyAll(dvrPlacement(), [H1, H2]);
    await pingSettled(G1.netns, G3.ip, 3);
  });

  it("floating IP: answers through h1's fip namespace, then follows its port to h2 (gratuitous ARP), leaving nothing on h1", async () => {
    const neighMac = async () => {
      const r = await ip('-n', EXT, '-j', 'neigh', 'show', FIP);
      return (JSON.parse(r.stdout || '[]') as Array<{ lladdr?: string }>)[0]?.lladdr;
    };
    const fgMac = async (h: Host) =>
      (JSON.parse((await ip('-n', `${prefix(h)}${FIP_NS}`, '-j', 'link', 'show', h.fg)).stdout) as Array<{ address: string }>)[0]?.address;
    console.log(`external → FIP on h1: ${await pingSettled(EXT, FIP)}`);
    const h1Fg = await fgMac(H1);
    expect(await neighMac()).toBe(h1Fg);
    const h1Before = await counters(`${prefix(H1)}${FIP_NS}`, H1.fg);

    // The port moves: h1 first loses the floating IP, then h2 gets it (and sends gratuitous ARP).
    const moved: Placement = {
      where: new Map([
        [G1, H2],
        [G2, H2],
        [G3, H1],
      ]),
      router: { kind: 'dvr' },
      fipOn: G1,
    };
    await unplug(G1, H1);
    const t0 = Date.now();
    await applyAll(moved, [H1, H2]);
    await plug(G1, H2);
    const h2Fg = await fgMac(H2);
    const learned = await neighMac();
    console.log(
      `FIP moved in ${Date.now() - t0} ms (both applies); external neighbour ${FIP}: ${h1Fg} → ${learned} (h2 fg ${h2Fg}); h1 fg counters before the move rx ${h1Before.rx} tx ${h1Before.tx}`,
    );
    expect(learned).toBe(h2Fg);
    const h2Before = await counters(`${prefix(H2)}${FIP_NS}`, H2.fg);
    console.log(`external → FIP on h2: ${await pingSettled(EXT, FIP, 10)}`);
    const h2After = await counters(`${prefix(H2)}${FIP_NS}`, H2.fg);
    console.log(`h2 ${H2.fg}: rx ${h2Before.rx} → ${h2After.rx}, tx ${h2Before.tx} → ${h2After.tx}`);
    expect(h2After.rx - h2Before.rx).toBeGreaterThanOrEqual(10);
    expect(h2After.tx - h2Before.tx).toBeGreaterThanOrEqual(10);
    // h1 keeps its qrouter (g3 is there) but nothing of the floating IP: no fip namespace, rfp, rule or NAT.
    const h1Ns = (await listNetns()).filter((n) => n.startsWith(prefix(H1)));
    expect(h1Ns).toEqual([`${prefix(H1)}${QROUTER}`]);
    const h1Router = `${prefix(H1)}${QROUTER}`;
    expect((await ip('-n', h1Router, '-o', 'link', 'show')).stdout).not.toContain(RFP);
    expect((await ip('-n', h1Router, 'rule', 'show')).stdout).not.toContain('lookup 16');
    expect((await execIn(h1Router, ['nft', 'list', 'ruleset'])).stdout).not.toContain('livemig');
    expect(await listNetns()).toContain(`${prefix(H2)}${FIP_NS}`);
  });

  it('repairs hand-made drift (an FDB entry, a whole qrouter namespace) within a few reconcile intervals, and logs it', async () => {
    const gone = `${G1.mac} dev vxlan-1000 dst ${H2.vtep}`;
    // After the move g1 is on h2: h1's vxlan-1000 points g1's MAC at h2.
    await execIn(H1.netns, ['bridge', 'fdb', 'del', G1.mac, 'dev', 'vxlan-1000', 'dst', H2.vtep]);
    const t0 = Date.now();
    await waitFor(
      'h1 to restore the FDB entry',
      async () => ((await fdbDst(H1, 'vxlan-1000')).includes(`${G1.mac} ${H2.vtep}`) ? true : undefined),
      10 * RECONCILE_MS,
      50,
    );
    const fdbMs = Date.now() - t0;
    await ip('netns', 'del', `${prefix(H2)}${QROUTER}`);
    const t1 = Date.now();
    await waitFor(
      'h2 to rebuild its qrouter',
      async () =>
        (await status(H2)).driftLog.some((d) => d.kind === 'netns' && d.subject === `${prefix(H2)}${QROUTER}`) ? true : undefined,
      20 * RECONCILE_MS,
      50,
    );
    const nsMs = Date.now() - t1;
    console.log(`drift repaired: FDB entry in ${fdbMs} ms, qrouter namespace in ${nsMs} ms (reconcile every ${RECONCILE_MS} ms)`);
    const h1Log = (await status(H1)).driftLog;
    expect(h1Log).toContainEqual(expect.objectContaining({ kind: 'fdb', subject: gone, found: 'missing', repaired: true }));
    expect(Number.isNaN(Date.parse(h1Log.at(-1)?.at ?? ''))).toBe(false);
    const h2Log = (await status(H2)).driftLog;
    expect(h2Log.filter((d) => !d.repaired)).toEqual([]);
    console.log(
      `h2 driftLog after the namespace loss: ${h2Log.length} entries, e.g. ${h2Log
        .slice(-3)
        .map((d) => `${d.found} ${d.kind} ${d.subject}`)
        .join('; ')}`,
    );
    await pingSettled(G1.netns, G3.ip, 3);
    console.log(`external → FIP after h2's qrouter came back: ${await pingSettled(EXT, FIP, 3)}`);
  });

  it('a killed agent re-applies its state from disk when it starts again', async () => {
    await killAgent(H1, 'SIGKILL');
    const saved = JSON.parse(await readFile(join(work, 'h1', 'network-state.json'), 'utf8')) as HostNetworkState;
    expect(saved.revision).toBe(revision);
    // Drift while the agent is down; it restarts with reconciliation off, so only the start-up apply can repair it.
    await execIn(H1.netns, ['bridge', 'fdb', 'del', '00:00:00:00:00:00', 'dev', 'vxlan-1001', 'dst', H2.vtep]);
    await ip('-n', `${prefix(H1)}${QROUTER}`, 'addr', 'del', `${NET_B.gw}/25`, 'dev', NET_B.qr);
    const t0 = Date.now();
    await startAgent(H1, 0);
    const s = await status(H1);
    console.log(
      `h1 restarted and re-applied revision ${s.desired?.revision} in ${Date.now() - t0} ms (start included): ${s.lastApply?.commands.join('; ')}`,
    );
    expect(s.desired?.revision).toBe(revision);
    // Deleting the gateway address also flushed qr's static ARP entries: the start-up apply puts them back too.
    expect(s.lastApply?.commands).toEqual([
      `bridge fdb append 00:00:00:00:00:00 dev vxlan-1001 dst ${H2.vtep}`,
      `ip -n ${prefix(H1)}${QROUTER} addr add ${NET_B.gw}/25 dev ${NET_B.qr}`,
      `ip -n ${prefix(H1)}${QROUTER} neigh replace ${G3.ip} lladdr ${G3.mac} dev ${NET_B.qr} nud permanent`,
    ]);
    expect(s.driftLog.map((d) => `${d.found} ${d.kind} ${d.repaired}`)).toEqual([
      'missing fdb true',
      'missing address true',
      'missing arp true',
    ]);
    await pingSettled(G2.netns, G3.ip, 3);
  });

  it('keeps a network whose bridge still has a foreign port (a guest tap), and removes it once the port is gone', async () => {
    revision++;
    const state = compile(H1, {
      where: new Map([
        [G1, H2],
        [G2, H2],
        [G3, H1],
      ]),
      router: { kind: 'dvr' },
      fipOn: G1,
    });
    state.networks = state.networks.filter((n) => n.vni !== NET_B.vni);
    for (const r of state.routers) {
      r.interfaces = r.interfaces.filter((i) => i.bridge !== `brq${NET_B.vni}`);
      r.arp = r.arp.filter((a) => a.device !== NET_B.qr);
    }
    const report = await apply(H1, state);
    const refused = report.drift.filter((d) => !d.repaired);
    console.log(`network 1001 dropped while vnet3 is on brq1001: ${JSON.stringify(refused)}`);
    expect(refused.map((d) => `${d.subject}: ${d.error}`)).toEqual([
      'brq1001: not removed: vnet3 still on brq1001',
      'vxlan-1001: not removed: vnet3 still on brq1001',
    ]);
    expect((await ip('-n', H1.netns, '-o', 'link', 'show', 'vnet3')).stdout).toContain('master brq1001');
    await unplug(G3, H1);
    const after = (await call<NetworkApplyReport>(H1, 'POST', '/v1/network/reconcile')).body;
    expect(after.commands).toEqual(['ip link del vxlan-1001', 'ip link del brq1001']);
    expect(after.drift.every((d) => d.repaired)).toBe(true);
  });
});
