import { assertName, checkIpAddress } from '../src/common/names';
import { execIn, listNetns, run } from './exec';
import {
  CONTROLLER_FABRIC_PEER,
  CONTROLLER_IFACE,
  CONTROLLER_IP,
  EXTERNAL,
  EXTERNAL_PREFIX_LEN,
  FABRIC_BRIDGES,
  FABRIC_NETNS,
  HOST_IFACES,
  MGMT_PREFIX_LEN,
  PROBER,
  TENANT_PREFIX_LEN,
  TENANT_VNI,
  TUNNEL_PREFIX_LEN,
  VXLAN_PORT,
  fabricPeer,
  type LabHost,
} from './topology';

// Namespaces and links of the lab. The fabric namespace holds the bridges that
// stand in for the physical switches; every host and the prober hang off it.

/** Underlay MTU leaves room for the 50-byte VXLAN header under 1500-byte tenant frames. */
const UNDERLAY_MTU = '1600';

const ip = (netns: string, ...args: string[]) => run(['ip', '-n', netns, ...args]);

async function ensureNetns(name: string): Promise<void> {
  if (!(await listNetns()).includes(name)) await run(['ip', 'netns', 'add', name]);
  await ip(name, 'link', 'set', 'lo', 'up');
}

async function addBridge(netns: string, name: string): Promise<void> {
  await ip(netns, 'link', 'add', name, 'type', 'bridge', 'forward_delay', '0', 'stp_state', '0');
  await ip(netns, 'link', 'set', name, 'up');
}

/** A veth whose one end sits in `netns` as `iface` and the other on a fabric bridge. */
async function attachToFabric(netns: string, iface: string, peer: string, bridge: string, mtu?: string): Promise<void> {
  await run(['ip', 'link', 'add', iface, 'netns', netns, 'type', 'veth', 'peer', 'name', peer, 'netns', FABRIC_NETNS]);
  if (mtu) {
    await ip(netns, 'link', 'set', iface, 'mtu', mtu);
    await ip(FABRIC_NETNS, 'link', 'set', peer, 'mtu', mtu);
  }
  await ip(FABRIC_NETNS, 'link', 'set', peer, 'master', bridge, 'up');
  await ip(netns, 'link', 'set', iface, 'up');
}

export async function createFabric(): Promise<void> {
  await ensureNetns(FABRIC_NETNS);
  for (const bridge of Object.values(FABRIC_BRIDGES)) await addBridge(FABRIC_NETNS, bridge);
  await ip(FABRIC_NETNS, 'link', 'set', FABRIC_BRIDGES.tunnel, 'mtu', UNDERLAY_MTU);
}

/** A VXLAN VTEP with head-end replication to every other VTEP (no multicast, no learning of VTEPs). */
async function createVtep(netns: string, localIp: string, remoteVteps: readonly string[]): Promise<void> {
  await ip(
    netns,
    'link',
    'add',
    HOST_IFACES.vxlan,
    'type',
    'vxlan',
    'id',
    String(TENANT_VNI),
    'local',
    localIp,
    'dstport',
    String(VXLAN_PORT),
    'nolearning',
  );
  for (const remote of remoteVteps) {
    await run(['bridge', '-n', netns, 'fdb', 'append', '00:00:00:00:00:00', 'dev', HOST_IFACES.vxlan, 'dst', remote]);
  }
}

export async function createHostNetwork(host: LabHost, allVteps: readonly string[]): Promise<void> {
  const ns = host.netns;
  await ensureNetns(ns);
  await attachToFabric(ns, HOST_IFACES.migration, fabricPeer('mgmt', host.letter), FABRIC_BRIDGES.mgmt);
  await ip(ns, 'addr', 'add', `${host.mgmtIp}/${MGMT_PREFIX_LEN}`, 'dev', HOST_IFACES.migration);
  await attachToFabric(ns, HOST_IFACES.tunnel, fabricPeer('tunnel', host.letter), FABRIC_BRIDGES.tunnel, UNDERLAY_MTU);
  await ip(ns, 'addr', 'add', `${host.vtepIp}/${TUNNEL_PREFIX_LEN}`, 'dev', HOST_IFACES.tunnel);
  // No address on ext0: a floating-IP namespace on the host takes it over later.
  await attachToFabric(ns, HOST_IFACES.external, fabricPeer('external', host.letter), FABRIC_BRIDGES.external);
  await addBridge(ns, HOST_IFACES.tenantBridge);
  await createVtep(
    ns,
    host.vtepIp,
    allVteps.filter((v) => v !== host.vtepIp),
  );
  await ip(ns, 'link', 'set', HOST_IFACES.vxlan, 'master', HOST_IFACES.tenantBridge, 'up');
}

export async function createProber(allVteps: readonly string[]): Promise<void> {
  const ns = PROBER.netns;
  await ensureNetns(ns);
  // A management leg only so the controller reaches the prober's agent; probes use the tenant side.
  await attachToFabric(ns, PROBER.mgmtIface, fabricPeer('mgmt', 'p'), FABRIC_BRIDGES.mgmt);
  await ip(ns, 'addr', 'add', `${PROBER.mgmtIp}/${MGMT_PREFIX_LEN}`, 'dev', PROBER.mgmtIface);
  await attachToFabric(ns, PROBER.tunnelIface, fabricPeer('tunnel', 'p'), FABRIC_BRIDGES.tunnel, UNDERLAY_MTU);
  await ip(ns, 'addr', 'add', `${PROBER.vtepIp}/${TUNNEL_PREFIX_LEN}`, 'dev', PROBER.tunnelIface);
  await createVtep(
    ns,
    PROBER.vtepIp,
    allVteps.filter((v) => v !== PROBER.vtepIp),
  );
  await ip(ns, 'addr', 'add', `${PROBER.tenantIp}/${TENANT_PREFIX_LEN}`, 'dev', PROBER.vxlanIface);
  await ip(ns, 'link', 'set', PROBER.vxlanIface, 'up');
}

export async function createExternal(): Promise<void> {
  await ensureNetns(EXTERNAL.netns);
  await attachToFabric(EXTERNAL.netns, EXTERNAL.iface, fabricPeer('external', 'x'), FABRIC_BRIDGES.external);
  await ip(EXTERNAL.netns, 'addr', 'add', `${EXTERNAL.ip}/${EXTERNAL_PREFIX_LEN}`, 'dev', EXTERNAL.iface);
  // Only so the controller reaches the external agent; its probes leave by ext0.
  await attachToFabric(EXTERNAL.netns, EXTERNAL.mgmtIface, fabricPeer('mgmt', 'x'), FABRIC_BRIDGES.mgmt);
  await ip(EXTERNAL.netns, 'addr', 'add', `${EXTERNAL.mgmtIp}/${MGMT_PREFIX_LEN}`, 'dev', EXTERNAL.mgmtIface);
}

async function rootLinkExists(name: string): Promise<boolean> {
  return (await run(['ip', 'link', 'show', 'dev', name], { allowFailure: true })).exitCode === 0;
}

/**
 * The controller leg: a veth from the root namespace onto the management bridge,
 * the way a controller sits on a real management network. Its address adds the
 * management /25 route to the root namespace, and nothing else.
 */
export async function ensureControllerLeg(): Promise<void> {
  if (await rootLinkExists(CONTROLLER_IFACE)) {
    const addrs = await run(['ip', '-4', '-o', 'addr', 'show', 'dev', CONTROLLER_IFACE]);
    if (addrs.stdout.includes(`${CONTROLLER_IP}/${MGMT_PREFIX_LEN}`)) return;
    await removeControllerLeg();
  }
  await run(['ip', 'link', 'add', CONTROLLER_IFACE, 'type', 'veth', 'peer', 'name', CONTROLLER_FABRIC_PEER, 'netns', FABRIC_NETNS]);
  await ip(FABRIC_NETNS, 'link', 'set', CONTROLLER_FABRIC_PEER, 'master', FABRIC_BRIDGES.mgmt, 'up');
  await run(['ip', 'addr', 'add', `${CONTROLLER_IP}/${MGMT_PREFIX_LEN}`, 'dev', CONTROLLER_IFACE]);
  await run(['ip', 'link', 'set', CONTROLLER_IFACE, 'up']);
}

export async function removeControllerLeg(): Promise<void> {
  await run(['ip', 'link', 'del', CONTROLLER_IFACE], { allowFailure: true });
}

/** What the root namespace still has of the lab: the leg's link, and addresses or routes in lab ranges. */
export async function controllerLegLeftovers(): Promise<string[]> {
  const out: string[] = [];
  if (await rootLinkExists(CONTROLLER_IFACE)) out.push(`link ${CONTROLLER_IFACE}`);
  const addrs = await run(['ip', '-4', '-o', 'addr', 'show']);
  for (const line of addrs.stdout.split('\n'))
    if (/ inet (198\.51\.100\.|203\.0\.113\.|192\.0\.2\.(1[2-9]\d|2\d\d))/.test(line)) out.push(`address: ${line.trim()}`);
  const routes = await run(['ip', '-4', 'route', 'show']);
  for (const line of routes.stdout.split('\n'))
    if (/^(198\.51\.100\.|203\.0\.113\.|192\.0\.2\.128)/.test(line)) out.push(`route: ${line.trim()}`);
  return out;
}

export async function deleteNetns(name: string): Promise<void> {
  await run(['ip', 'netns', 'del', name], { allowFailure: true });
}

/** tc token bucket on the host's migration interface; null removes it. QEMU lifts its own cap at stop-and-copy, tc does not. */
export async function shapeMigrationLink(host: LabHost, rateMbit: number | null): Promise<void> {
  await execIn(host.netns, ['tc', 'qdisc', 'del', 'dev', host.migrationInterface, 'root'], { allowFailure: true });
  if (rateMbit === null) return;
  if (!(rateMbit > 0)) throw new RangeError(`rate must be positive, not ${rateMbit}`);
  const burstBytes = Math.max(32_768, Math.round((rateMbit * 1e6) / 8 / 250));
  await execIn(host.netns, [
    'tc',
    'qdisc',
    'add',
    'dev',
    host.migrationInterface,
    'root',
    'tbf',
    'rate',
    `${rateMbit}mbit`,
    'burst',
    String(burstBytes),
    'latency',
    '100ms',
  ]);
}

export async function setMigrationLink(host: LabHost, state: 'up' | 'down'): Promise<void> {
  await ip(host.netns, 'link', 'set', host.migrationInterface, state);
}

export interface PingResult {
  sent: number;
  received: number;
  lossPct: number;
}

export function parsePing(stdout: string): PingResult {
  const m = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(stdout);
  const sent = m ? Number(m[1]) : 0;
  const received = m ? Number(m[2]) : 0;
  return { sent, received, lossPct: sent === 0 ? 100 : Math.round(((sent - received) / sent) * 1000) / 10 };
}

export async function ping(
  fromNetns: string,
  target: string,
  opts: { count?: number; intervalMs?: number; timeoutS?: number } = {},
): Promise<PingResult> {
  assertName(checkIpAddress, target);
  const count = opts.count ?? 3;
  const intervalS = ((opts.intervalMs ?? 200) / 1000).toFixed(3);
  const deadlineS = opts.timeoutS ?? Math.ceil(count * Number(intervalS) + 2);
  const { stdout } = await execIn(fromNetns, ['ping', '-n', '-q', '-c', String(count), '-i', intervalS, '-w', String(deadlineS), target], {
    allowFailure: true,
    timeoutMs: (deadlineS + 5) * 1000,
  });
  return parsePing(stdout);
}
