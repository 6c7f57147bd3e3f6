import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acquireLabLock,
  addEndpoint,
  agentToken,
  controllerEnv,
  EXTERNAL,
  execIn,
  hostByName,
  hostNetnsPrefix,
  killAgent,
  labDown,
  labUp,
  listNetns,
  ping,
  PROBER,
  run,
  shapeMigrationLink,
  startAgent,
  TENANT2,
  type Endpoint,
} from '../../lab';
import { ControllerApi, waitForMigration, waitForState, type MigrationRecord } from '../../lab/cli/controller-api';
import { controllerLogFile, startControllerProcess, type ControllerProcess } from '../../lab/cli/controller-process';
import { bootInstance, registerLabInventory, type LabInstance, type LabInventory } from '../../lab/cli/lab-inventory';
import { createFloatingIp, createLabPort, registerLabNetwork, type LabNetwork } from '../../lab/cli/lab-network';

// Issue acceptance for the network following the guest: a guest with a floating IP moves A→B while
// three probes run (east-west from the prober, routed from the other subnet, north-south to the FIP).

const SLOW_LINK_MBIT = 40;
const GUEST_IP = '203.0.113.30';
const EP2_IP = '203.0.113.140';
const EP1_IP = '203.0.113.40';

interface Report {
  reportState: string;
  downtime: { eastWestMs: number | null; northSouthMs: number | null };
  network: { networkConvergenceMs: number | null; northSouthLossPct: number | null };
  networkSteps: { step: string; host?: string; phase?: string; ok: boolean; durationMs: number; error?: string }[];
  detail: { notes: string[] } | null;
}

/** ping -i 0.05 in the background; the answered sequence numbers tell whether replies came back at the end. */
function backgroundPing(netns: string, target: string, count: number) {
  return execIn(netns, ['ping', '-n', '-i', '0.05', '-c', String(count), '-W', '1', target], {
    allowFailure: true,
    timeoutMs: count * 100 + 30_000,
  }).then((r) => {
    const seqs = [...r.stdout.matchAll(/icmp_seq=(\d+)/g)].map((m) => Number(m[1]));
    return { answered: new Set(seqs), count, stdout: r.stdout };
  });
}

async function linkStats(netns: string, device: string): Promise<{ rx: number; tx: number }> {
  const r = await execIn(netns, ['ip', '-s', '-j', 'link', 'show', 'dev', device]);
  const [link] = JSON.parse(r.stdout) as { stats64: { rx: { packets: number }; tx: { packets: number } } }[];
  return { rx: link.stats64.rx.packets, tx: link.stats64.tx.packets };
}

/** The VXLAN device's own FDB (`dst` entries: flood and l2population), not what the bridge learned. */
async function fdb(host: string, device: string): Promise<string> {
  const out = (await run(['bridge', '-n', hostByName(host).netns, 'fdb', 'show', 'dev', device])).stdout;
  return out
    .split('\n')
    .filter((line) => line.includes(' dst '))
    .sort()
    .join('\n');
}

/** ICMP frames seen leaving or entering through the tunnel devices while `during` runs (tcpdump). */
async function icmpOnTunnel(netns: string, devices: string[], during: () => Promise<void>): Promise<number> {
  const dumps = devices.map((d) =>
    execIn(netns, ['timeout', '4', 'tcpdump', '-l', '-n', '-p', '-i', d, 'icmp'], { allowFailure: true, timeoutMs: 10_000 }),
  );
  await new Promise((r) => setTimeout(r, 700));
  await during();
  const outs = await Promise.all(dumps);
  return outs.reduce((n, o) => n + o.stdout.split('\n').filter((l) => l.includes('ICMP')).length, 0);
}

describe('the network follows the guest (bindings, DVR, floating IP) on the lab', () => {
  let release: () => void;
  const dataDir = mkdtempSync(join(tmpdir(), 'livemig-netfollow-'));
  const token = 'netfollow-operator';
  let controller: ControllerProcess | undefined;
  let api: ControllerApi;
  let inventory: LabInventory;
  let net: LabNetwork;
  let guest: LabInstance;
  let fip: string;
  let ep2: Endpoint;
  let hostB: ReturnType<typeof hostByName>;

  const migrate = async (to: string): Promise<string> => {
    const res = await api.call<MigrationRecord>('POST', '/migrations', {
      instanceId: guest.instanceId,
      destinationHostId: inventory.hostIds[to],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return res.body.id;
  };
  const desired = (host: string) => api.ok<Record<string, unknown>>('GET', `/network/hosts/${host}/desired-state`);
  const withoutRevision = (state: Record<string, unknown>) => ({ ...state, revision: 0 });
  const labNetns = async (host: string, kind: 'qrouter' | 'fip') =>
    (await listNetns()).filter((n) => n.startsWith(`${hostNetnsPrefix(hostByName(host))}${kind}-`));

  beforeAll(async () => {
    release = await acquireLabLock();
    // host-c keeps a port on the guest's network, so it has an FDB to check after the guest left host-a.
    await labUp({ hosts: 3 });
    controller = await startControllerProcess({
      port: 18_300 + (process.pid % 300),
      logFile: controllerLogFile(dataDir),
      env: {
        ...controllerEnv(),
        DATABASE_URL: `sqlite:${join(dataDir, 'livemig.sqlite')}`,
        LIVEMIG_DATA_DIR: dataDir,
        LIVEMIG_TOKENS: `${token}:operator`,
        LIVEMIG_CAPTURE_TAIL_MS: '1500',
        LIVEMIG_MONITOR_INTERVAL_MS: '200',
        LOG_LEVEL: 'info',
      },
    });
    api = new ControllerApi(controller.url, token);
    hostB = hostByName('host-b');
    inventory = await registerLabInventory(api);
    // Booted on the bridge `lab up` made; the guest's tap keeps the agent from removing it before its port exists.
    guest = await bootInstance(api, inventory, { name: 'lm-netfollow', host: 'host-a', ip: GUEST_IP, flavor: 'lab.micro' });
    net = await registerLabNetwork(api);
    const port = await createLabPort(api, {
      subnetId: net.subnetId,
      mac: guest.mac,
      fixedIp: guest.ip,
      hostId: inventory.hostIds['host-a'],
      deviceId: guest.instanceId,
    });
    fip = (await createFloatingIp(api, net.externalNetworkId, port.id)).address;
    // The other subnet's endpoint lives on host-b: its port makes the agent plug brq1001 there first.
    const ep2Mac = '02:6c:ee:00:00:02';
    await createLabPort(api, {
      subnetId: net.subnet2Id,
      mac: ep2Mac,
      fixedIp: EP2_IP,
      hostId: inventory.hostIds['host-b'],
      deviceId: 'endpoint-ep2',
    });
    ep2 = await addEndpoint({
      name: 'ep2',
      host: hostB,
      bridge: `brq${TENANT2.vni}`,
      ip: EP2_IP,
      prefixLength: TENANT2.prefixLength,
      mac: ep2Mac,
      gatewayIp: TENANT2.gatewayIp,
    });
    const ep1Mac = '02:6c:ee:00:00:01';
    await createLabPort(api, {
      subnetId: net.subnetId,
      mac: ep1Mac,
      fixedIp: EP1_IP,
      hostId: inventory.hostIds['host-c'],
      deviceId: 'endpoint-ep1',
    });
    await addEndpoint({
      name: 'ep1',
      host: hostByName('host-c'),
      bridge: 'brq1000',
      ip: EP1_IP,
      prefixLength: 25,
      mac: ep1Mac,
      gatewayIp: '203.0.113.1',
    });
  }, 300_000);

  afterAll(async () => {
    await controller?.stop();
    await labDown();
    release?.();
  }, 120_000);

  const allThreeAnswer = async () => {
    const [eastWest, routed, northSouth] = await Promise.all([
      ping(PROBER.netns, guest.ip, { count: 5, intervalMs: 100 }),
      ping(ep2.netns, guest.ip, { count: 5, intervalMs: 100 }),
      ping(EXTERNAL.netns, fip, { count: 5, intervalMs: 100 }),
    ]);
    // ping -c 5 -w keeps sending until 5 replies came: a slow first reply (ARP under load) makes it send and count more.
    const answered = (r: { received: number }) => Math.min(r.received, 5);
    const result = { eastWest: answered(eastWest), routed: answered(routed), northSouth: answered(northSouth) };
    if ([eastWest, routed, northSouth].some((r) => r.received !== 5 || r.sent !== 5))
      console.log(`probes: ${JSON.stringify({ eastWest, routed, northSouth })}`);
    return result;
  };

  it('a guest with a floating IP moves A→B under three probes; FDB, FIP and qrouter follow', async () => {
    expect(await fdb('host-c', 'vxlan-1000')).toContain(`${guest.mac} dst ${hostByName('host-a').vtepIp}`);
    const before = await allThreeAnswer();
    expect(before, 'before the migration').toEqual({ eastWest: 5, routed: 5, northSouth: 5 });
    const routed = backgroundPing(ep2.netns, guest.ip, 300);
    const id = await migrate('host-b');
    const done = await waitForMigration(api, id);
    expect(done.state, done.failureReason ?? '').toBe('completed');
    const routedRun = await routed;
    const lost = [...Array(routedRun.count).keys()].map((i) => i + 1).filter((seq) => !routedRun.answered.has(seq));
    console.log(`routed probe ep2 → guest: ${routedRun.answered.size}/${routedRun.count} answered, lost seqs ${lost.join(',')}`);
    // The last second of the routed stream is answered: routing converged after the move.
    for (let seq = routedRun.count - 19; seq <= routedRun.count; seq++) expect(routedRun.answered.has(seq), `seq ${seq}`).toBe(true);

    expect(await allThreeAnswer(), 'after the migration').toEqual({ eastWest: 5, routed: 5, northSouth: 5 });

    // l2population: host-c sends the guest's MAC to host-b's VTEP, host-b has it on its own bridge, host-a no longer has the network.
    expect(await fdb('host-c', 'vxlan-1000')).toContain(`${guest.mac} dst ${hostB.vtepIp}`);
    expect(await fdb('host-c', 'vxlan-1000')).not.toContain(`${guest.mac} dst ${hostByName('host-a').vtepIp}`);
    expect(await fdb('host-b', 'vxlan-1000')).not.toMatch(new RegExp(`${guest.mac} dst `));

    // North-south enters through host-b's fip namespace; host-a has no qrouter or fip namespace left.
    const [fipNsB] = await labNetns('host-b', 'fip');
    expect(fipNsB).toBeDefined();
    const fg = JSON.parse((await execIn(fipNsB, ['ip', '-j', 'link', 'show'])).stdout) as { ifname: string }[];
    const fgDevice = fg.find((l) => l.ifname.startsWith('fg-'))!.ifname;
    const fgBefore = await linkStats(fipNsB, fgDevice);
    expect((await ping(EXTERNAL.netns, fip, { count: 20, intervalMs: 20 })).received).toBe(20);
    const fgAfter = await linkStats(fipNsB, fgDevice);
    console.log(`host-b ${fgDevice}: rx ${fgBefore.rx} → ${fgAfter.rx}, tx ${fgBefore.tx} → ${fgAfter.tx}`);
    expect(fgAfter.rx - fgBefore.rx).toBeGreaterThanOrEqual(20);
    expect(await labNetns('host-a', 'fip')).toEqual([]);
    expect(await labNetns('host-a', 'qrouter')).toEqual([]);

    const report = await api.ok<Report>('GET', `/migrations/${id}/report`);
    expect(report.reportState, JSON.stringify(report.detail?.notes)).toBe('ready');
    console.log(
      `downtime east-west ${report.downtime.eastWestMs} ms, north-south ${report.downtime.northSouthMs} ms, convergence ${report.network.networkConvergenceMs} ms; steps ${report.networkSteps.map((s) => `${s.phase}:${s.step}${s.host ? `@${s.host}` : ''} ${s.durationMs} ms`).join(', ')}`,
    );
    expect(report.downtime.eastWestMs).not.toBeNull();
    expect(report.downtime.northSouthMs).not.toBeNull();
    expect(report.network.networkConvergenceMs).toBeGreaterThan(0);
    expect(
      report.networkSteps.every((s) => s.ok),
      JSON.stringify(report.networkSteps),
    ).toBe(true);
    expect(new Set(report.networkSteps.map((s) => s.phase))).toEqual(new Set(['reservation', 'switchover', 'commitment']));
    // Make before break: the hosts were armed during the copy and fired at the pause, before the confirming push.
    const fired = report.networkSteps.filter((s) => s.step === 'fire');
    // Every host whose state changes is armed: the source and destination, and host-c for its FDB entry.
    const armed = new Set(report.networkSteps.filter((s) => s.step === 'arm').map((s) => s.host));
    expect(armed).toEqual(new Set(['host-a', 'host-b', 'host-c']));
    expect(new Set(fired.map((s) => s.host))).toEqual(armed);
    const firstSwitchoverStep = report.networkSteps.find((s) => s.phase === 'switchover');
    expect(firstSwitchoverStep?.step).toBe('fire');
  }, 300_000);

  it('an aborted migration leaves bindings, FDB and FIP exactly as before, and the probes keep answering', async () => {
    const statesBefore = { a: withoutRevision(await desired('host-a')), b: withoutRevision(await desired('host-b')) };
    const fdbBefore = await fdb('host-c', 'vxlan-1000');
    await shapeMigrationLink('host-b', SLOW_LINK_MBIT);
    try {
      const eastWest = backgroundPing(PROBER.netns, guest.ip, 160);
      const northSouth = backgroundPing(EXTERNAL.netns, fip, 160);
      const id = await migrate('host-a');
      await waitForState(api, id, ['pre-copy']);
      await new Promise((r) => setTimeout(r, 2_000));
      expect((await api.call('POST', `/migrations/${id}/abort`)).status).toBeLessThan(300);
      const done = await waitForMigration(api, id);
      expect(done.state, done.failureReason ?? '').toBe('aborted');
      const [ew, ns] = await Promise.all([eastWest, northSouth]);
      console.log(`during the aborted migration: east-west ${ew.answered.size}/${ew.count}, north-south ${ns.answered.size}/${ns.count}`);
      expect(ew.answered.size).toBeGreaterThanOrEqual(ew.count - 1);
      expect(ns.answered.size).toBeGreaterThanOrEqual(ns.count - 1);
    } finally {
      await shapeMigrationLink('host-b', null);
    }
    expect({ a: withoutRevision(await desired('host-a')), b: withoutRevision(await desired('host-b')) }).toEqual(statesBefore);
    expect(await fdb('host-c', 'vxlan-1000')).toBe(fdbBefore);
    expect(await labNetns('host-a', 'fip')).toEqual([]);
    expect(await allThreeAnswer()).toEqual({ eastWest: 5, routed: 5, northSouth: 5 });
  }, 300_000);

  it('an agent restarted after a kill re-applies its state; drift made by hand is repaired and reported', async () => {
    // host-b's agent is down while its qrouter is deleted by hand; it rebuilds it from its saved state at start.
    await killAgent('host-b');
    const [qrouterB] = await labNetns('host-b', 'qrouter');
    expect(qrouterB).toBeDefined();
    await run(['ip', 'netns', 'del', qrouterB]);
    // host-c's agent is running: a deleted FDB entry comes back at its next reconcile.
    await run(['bridge', '-n', hostByName('host-c').netns, 'fdb', 'del', guest.mac, 'dev', 'vxlan-1000', 'dst', hostB.vtepIp]);
    const startedAt = Date.now();
    await startAgent('host-b');
    let repairedAfterMs = -1;
    while (Date.now() - startedAt < 20_000) {
      if (
        (await fdb('host-c', 'vxlan-1000')).includes(`${guest.mac} dst ${hostB.vtepIp}`) &&
        (await labNetns('host-b', 'qrouter')).length === 1
      ) {
        repairedAfterMs = Date.now() - startedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    console.log(`drift repaired ${repairedAfterMs} ms after the agent restart`);
    expect(repairedAfterMs).toBeGreaterThanOrEqual(0);
    // The controller's status route summarises the agent's drift log (newest entries first kept).
    type Summary = { agent: { recentDrift: { kind: string; subject: string; repaired: boolean }[] } };
    const statusC = await api.ok<Summary>('GET', '/network/hosts/host-c/status');
    expect(
      statusC.agent.recentDrift.some((d) => d.kind === 'fdb' && d.subject.includes(guest.mac) && d.repaired),
      JSON.stringify(statusC.agent.recentDrift),
    ).toBe(true);
    const statusB = await api.ok<Summary>('GET', '/network/hosts/host-b/status');
    expect(
      statusB.agent.recentDrift.some((d) => d.subject.includes('qrouter')),
      JSON.stringify(statusB.agent.recentDrift),
    ).toBe(true);
    expect(await allThreeAnswer()).toEqual({ eastWest: 5, routed: 5, northSouth: 5 });
  }, 120_000);

  it('DVR routes between two ports on one host without the tunnel; a legacy router elsewhere sends it across', async () => {
    const hostA = hostByName('host-a');
    const hostAId = inventory.hostIds['host-a'];
    const pair = async (
      names: [string, string],
      subnets: [string, string],
      ips: [string, string],
      prefix: number,
      gateways: [string, string],
      bridges: [string, string],
    ) => {
      const eps: Endpoint[] = [];
      for (const i of [0, 1] as const) {
        const mac = `02:6c:ee:00:01:${names[i].slice(-2)}`;
        await createLabPort(api, { subnetId: subnets[i], mac, fixedIp: ips[i], hostId: hostAId, deviceId: `endpoint-${names[i]}` });
        eps.push(
          await addEndpoint({
            name: names[i],
            host: hostA,
            bridge: bridges[i],
            ip: ips[i],
            prefixLength: prefix,
            mac,
            gatewayIp: gateways[i],
          }),
        );
      }
      return eps as [Endpoint, Endpoint];
    };
    const tunnelTx = async (devices: string[]) => {
      let total = 0;
      for (const d of devices) total += (await linkStats(hostA.netns, d)).tx;
      return total;
    };

    const [d1, d2] = await pair(
      ['dvr11', 'dvr12'],
      [net.subnetId, net.subnet2Id],
      ['203.0.113.41', '203.0.113.141'],
      25,
      ['203.0.113.1', TENANT2.gatewayIp],
      ['brq1000', `brq${TENANT2.vni}`],
    );
    const first = await ping(d1.netns, d2.ip, { count: 3, intervalMs: 100 });
    if (first.received !== 3) {
      const [qr] = await labNetns('host-a', 'qrouter');
      const dump = qr
        ? (await execIn(qr, ['ip', '-br', 'addr'])).stdout + (await execIn(qr, ['ip', 'neigh'])).stdout
        : 'no qrouter on host-a';
      console.log(
        `DVR ping failed; ${await labNetns('host-a', 'qrouter')}\n${dump}\n${(await execIn(hostA.netns, ['ip', '-br', 'link'])).stdout}`,
      );
    }
    expect(first.received).toBe(3);
    const dvrBefore = await tunnelTx(['vxlan-1000', `vxlan-${TENANT2.vni}`]);
    const dvrIcmp = await icmpOnTunnel(hostA.netns, ['vxlan-1000', `vxlan-${TENANT2.vni}`], async () => {
      expect((await ping(d1.netns, d2.ip, { count: 20, intervalMs: 20 })).received).toBe(20);
    });
    const dvrDelta = (await tunnelTx(['vxlan-1000', `vxlan-${TENANT2.vni}`])) - dvrBefore;

    // Two more networks (198.18.0.0/24, RFC 2544: namespaces only) on a legacy router placed on host-b.
    const n3 = await api.ok<{ id: string }>('POST', '/networks', { name: 'legacy-3', vni: 1002 });
    const s3 = await api.ok<{ id: string }>('POST', '/subnets', { networkId: n3.id, cidr: '198.18.0.0/25', gatewayIp: '198.18.0.1' });
    const n4 = await api.ok<{ id: string }>('POST', '/networks', { name: 'legacy-4', vni: 1003 });
    const s4 = await api.ok<{ id: string }>('POST', '/subnets', { networkId: n4.id, cidr: '198.18.0.128/25', gatewayIp: '198.18.0.129' });
    const legacy = await api.ok<{ id: string }>('POST', '/routers', {
      name: 'router-legacy',
      distributed: false,
      legacyHostId: inventory.hostIds['host-b'],
    });
    await api.ok('POST', `/routers/${legacy.id}/interfaces`, { subnetId: s3.id });
    await api.ok('POST', `/routers/${legacy.id}/interfaces`, { subnetId: s4.id });
    const [l1, l2] = await pair(
      ['leg31', 'leg42'],
      [s3.id, s4.id],
      ['198.18.0.10', '198.18.0.140'],
      25,
      ['198.18.0.1', '198.18.0.129'],
      ['brq1002', 'brq1003'],
    );
    expect((await ping(l1.netns, l2.ip, { count: 3, intervalMs: 100 })).received).toBe(3);
    const legacyBefore = await tunnelTx(['vxlan-1002', 'vxlan-1003']);
    const legacyIcmp = await icmpOnTunnel(hostA.netns, ['vxlan-1002', 'vxlan-1003'], async () => {
      expect((await ping(l1.netns, l2.ip, { count: 20, intervalMs: 20 })).received).toBe(20);
    });
    const legacyDelta = (await tunnelTx(['vxlan-1002', 'vxlan-1003'])) - legacyBefore;
    console.log(
      `20 routed pings between two ports on host-a: DVR ${dvrIcmp} ICMP frames on the tunnel devices (tx counter +${dvrDelta}), ` +
        `legacy router on host-b ${legacyIcmp} ICMP frames (tx counter +${legacyDelta})`,
    );
    // Each request and reply crosses twice in legacy mode (to host-b and back): 20 × 2 × 2 frames.
    expect(dvrIcmp).toBe(0);
    expect(legacyIcmp).toBeGreaterThanOrEqual(80);
    expect(legacyDelta).toBeGreaterThanOrEqual(40);
  }, 180_000);

  it('refuses agent RPC without its token (401) and names that could inject (400)', async () => {
    const url = `${hostB.agentUrl}/v1/network`;
    const state = await desired('host-b');
    const put = (headers: Record<string, string>, body: unknown) =>
      fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    expect((await put({}, state)).status).toBe(401);
    const auth = { authorization: `Bearer ${agentToken('host-b')}` };
    const networks = state.networks as Record<string, unknown>[];
    for (const bad of ['-i', 'brq1;rm', '../x', 'a-very-long-bridge-name']) {
      const res = await put(auth, { ...state, networks: [{ ...networks[0], bridge: bad }, ...networks.slice(1)] });
      expect(res.status, bad).toBe(400);
      expect(await res.text()).toMatch(/bridge/);
    }
    const res = await api.call('POST', '/networks', { name: 'bad', vni: 2000, staticVteps: ['198.51.100.1; reboot'] });
    expect(res.status).toBe(400);
    const hostRes = await api.call('POST', '/hosts', {
      name: 'bad host;',
      libvirtUri: 'qemu+tcp://198.51.100.99/system',
      migrationAddress: '198.51.100.99',
      migrationInterface: '-i',
      instancesPath: '/x',
      vcpus: 1,
      memoryMiB: 1,
    });
    expect(hostRes.status).toBe(400);
  });
});
