import type { FipNamespacePlug, FipRouterLink, HostNetworkState, NetworkPlug, RouterPlacement } from '../../protocol';
import { planNftTable, type NftRuleSpec } from './nft-plan';
import { PlanBuilder, execIn, inNs, ipIn, type NetworkPlan } from './network-plan';
import { emptyNamespace, type ObservedHost, type ObservedLink, type ObservedNamespace } from './observed-state';

// The pure heart of the network agent: (desired, observed) → drift and the
// commands that repair it, in the order they must run. No I/O here.

export interface PlannerOptions {
  /** The host's interface onto the external network (macvlan parent of fg-/qg-); null when not configured. */
  externalInterface: string | null;
  /** Prepended to every namespace name (several agents sharing one machine, as in the lab); '' on real hosts. */
  netnsPrefix: string;
  /** Router-interface peers (`tap…`) livemig made earlier: not foreign ports on a bridge being removed. */
  ownedTaps: ReadonlySet<string>;
}

export const VXLAN_PORT = 4789;
export const DVR_TABLE = 'livemig-dvr';
export const ROUTER_NAT_TABLE = 'livemig';
const FLOOD_MAC = '00:00:00:00:00:00';
/**
 * Floating-IP rules come after `main` (32766), as Neutron's (from 32768): traffic
 * to the router's own subnets stays routed locally, only the rest leaves by rfp.
 */
export const FIP_RULE_PRIORITY = 32768;
/**
 * The tenant networks here are IPv4: without this, every qr device sends IPv6
 * router solicitations (with back-off, forever) that flood across the tunnel.
 * Set before any device enters the namespace, so they all inherit `default`.
 */
export const NO_IPV6 = { 'net.ipv6.conf.all.disable_ipv6': '1', 'net.ipv6.conf.default.disable_ipv6': '1' } as const;
/** Policy rules the kernel makes in every namespace. */
const SYSTEM_TABLES = ['local', 'main', 'default'];
const MANAGED_BRIDGE = /^brq\d+$/;
const MANAGED_VXLAN = /^vxlan-(\d+)$/;

export const isManagedNamespace = (name: string, prefix: string): boolean =>
  name.startsWith(`${prefix}qrouter-`) || name.startsWith(`${prefix}fip-`);

const byName = (links: ObservedLink[]) => new Map(links.map((l) => [l.name, l]));
const lower = (mac: string) => mac.toLowerCase();

export function planNetwork(desired: HostNetworkState, observed: ObservedHost, options: PlannerOptions): NetworkPlan {
  const b = new PlanBuilder();
  const ns = (name: string) => options.netnsPrefix + name;
  const hostLinks = byName(observed.host.links);
  const mtuOfBridge = new Map(desired.networks.map((n) => [n.bridge, n.mtu]));
  const existing = new Set(observed.namespaceNames);
  const view = (name: string): ObservedNamespace => observed.namespaces[name] ?? emptyNamespace();

  // Namespaces no longer desired go first: their veths die with them.
  const wantedNs = new Set([...desired.routers.map((r) => ns(r.namespace)), ...desired.fipNamespaces.map((f) => ns(f.namespace))]);
  for (const name of observed.namespaceNames) {
    if (isManagedNamespace(name, options.netnsPrefix) && !wantedNs.has(name))
      b.change('netns', name, 'extra', [['ip', 'netns', 'delete', name]]);
  }

  for (const network of desired.networks) planNetworkPlug(b, network, desired.localVtepIp, hostLinks, observed);

  const stale = new Set(observed.staleNamespaces);
  const ensureNs = (name: string) => {
    if (stale.has(name))
      b.change(
        'netns',
        name,
        'different',
        [
          ['ip', 'netns', 'delete', name],
          ['ip', 'netns', 'add', name],
        ],
        'the name no longer holds a namespace',
      );
    else if (!existing.has(name)) b.change('netns', name, 'missing', [['ip', 'netns', 'add', name]]);
  };
  const external = checkExternal(options.externalInterface, hostLinks);

  for (const fip of desired.fipNamespaces) {
    const name = ns(fip.namespace);
    ensureNs(name);
    planFipNamespace(b, fip, name, view(name), external);
  }

  const links = new Map<string, { link: FipRouterLink; fipNs: string }>();
  for (const fip of desired.fipNamespaces) for (const link of fip.routers) links.set(link.routerId, { link, fipNs: ns(fip.namespace) });

  for (const router of desired.routers) {
    const name = ns(router.namespace);
    ensureNs(name);
    const o = view(name);
    const fipLink = links.get(router.routerId);
    const wanted = new Set([...router.interfaces.map((i) => i.device)]);
    if (router.distributed && fipLink) wanted.add(fipLink.link.rfpDevice);
    if (!router.distributed && router.externalGateway) wanted.add(router.externalGateway.device);
    planRouterBase(b, router, name, o, hostLinks, mtuOfBridge, wanted);
    if (!(router.distributed && fipLink)) planNoFipRules(b, name, o);
    if (router.distributed && fipLink) planFipLink(b, router, fipLink.link, name, o, fipLink.fipNs, view(fipLink.fipNs));
    if (!router.distributed && router.externalGateway) planExternalGateway(b, router, name, o, external);
    planRouterNat(b, router, name, o, router.distributed ? fipLink?.link.rfpDevice : router.externalGateway?.device);
  }

  for (const fip of desired.fipNamespaces) planFipRoutes(b, fip, ns(fip.namespace), view(ns(fip.namespace)), desired.routers);

  planNftTable(
    b,
    undefined,
    {
      family: 'bridge',
      name: DVR_TABLE,
      chains: [{ name: 'dvr', spec: ['type', 'filter', 'hook', 'forward', 'priority', '0'] }],
      rules: dvrRules(desired.routers),
    },
    observed.host.nftTables,
  );

  planRemovedNetworks(b, desired, observed, options);
  return b.build();
}

type ExternalCheck = { ok: true; name: string } | { ok: false; error: string };

function checkExternal(name: string | null, hostLinks: Map<string, ObservedLink>): ExternalCheck {
  if (name === null)
    return { ok: false, error: 'the agent runs without --external-interface: floating IPs and external gateways cannot be plugged' };
  if (!hostLinks.has(name)) return { ok: false, error: `the external interface ${name} does not exist on this host` };
  return { ok: true, name };
}

function planNetworkPlug(
  b: PlanBuilder,
  n: NetworkPlug,
  localVtep: string,
  hostLinks: Map<string, ObservedLink>,
  observed: ObservedHost,
): void {
  const mtu = String(n.mtu);
  const createBridge = [
    ['ip', 'link', 'add', n.bridge, 'type', 'bridge'],
    ['ip', 'link', 'set', 'dev', n.bridge, 'mtu', mtu],
    ['ip', 'link', 'set', 'dev', n.bridge, 'up'],
  ];
  const br = hostLinks.get(n.bridge);
  let bridgeNew = false;
  if (!br) {
    b.change('link', n.bridge, 'missing', createBridge);
    bridgeNew = true;
  } else if (br.kind !== 'bridge') {
    b.change('link', n.bridge, 'different', [['ip', 'link', 'del', n.bridge], ...createBridge], `kind ${br.kind ?? 'none'}, want bridge`);
    bridgeNew = true;
  } else {
    if (br.mtu !== n.mtu)
      b.change('link', n.bridge, 'different', [['ip', 'link', 'set', 'dev', n.bridge, 'mtu', mtu]], `mtu ${br.mtu}, want ${n.mtu}`);
    if (!br.up) b.change('link', n.bridge, 'different', [['ip', 'link', 'set', 'dev', n.bridge, 'up']], 'down');
  }

  const vx = hostLinks.get(n.vxlanDevice);
  const createVxlan = [
    [
      'ip',
      'link',
      'add',
      n.vxlanDevice,
      'type',
      'vxlan',
      'id',
      String(n.vni),
      'local',
      localVtep,
      'dstport',
      String(VXLAN_PORT),
      'nolearning',
    ],
    ['ip', 'link', 'set', 'dev', n.vxlanDevice, 'mtu', mtu],
    ['ip', 'link', 'set', 'dev', n.vxlanDevice, 'master', n.bridge],
    ['ip', 'link', 'set', 'dev', n.vxlanDevice, 'up'],
  ];
  let vxlanNew = false;
  if (!vx) {
    b.change('link', n.vxlanDevice, 'missing', createVxlan);
    vxlanNew = true;
  } else {
    const v = vx.vxlan;
    const same = vx.kind === 'vxlan' && v !== undefined && v.id === n.vni && v.local === localVtep && v.port === VXLAN_PORT && !v.learning;
    if (!same) {
      const found = v
        ? `id ${v.id} local ${v.local ?? 'none'} dstport ${v.port}${v.learning ? ' learning' : ' nolearning'}`
        : `kind ${vx.kind ?? 'none'}`;
      b.change(
        'link',
        n.vxlanDevice,
        'different',
        [['ip', 'link', 'del', n.vxlanDevice], ...createVxlan],
        `${found}; want id ${n.vni} local ${localVtep} dstport ${VXLAN_PORT} nolearning`,
      );
      vxlanNew = true;
    } else {
      if (vx.mtu !== n.mtu)
        b.change(
          'link',
          n.vxlanDevice,
          'different',
          [['ip', 'link', 'set', 'dev', n.vxlanDevice, 'mtu', mtu]],
          `mtu ${vx.mtu}, want ${n.mtu}`,
        );
      if (vx.master !== n.bridge || bridgeNew) {
        b.change(
          'link',
          n.vxlanDevice,
          'different',
          [['ip', 'link', 'set', 'dev', n.vxlanDevice, 'master', n.bridge]],
          `master ${vx.master ?? 'none'}, want ${n.bridge}`,
        );
      }
      if (!vx.up) b.change('link', n.vxlanDevice, 'different', [['ip', 'link', 'set', 'dev', n.vxlanDevice, 'up']], 'down');
    }
  }
  planFdb(b, n, vxlanNew ? [] : observed.fdb.filter((e) => e.dev === n.vxlanDevice && e.dst !== undefined && e.master === undefined));
}

function planFdb(b: PlanBuilder, n: NetworkPlug, found: Array<{ mac: string; dst: string | undefined }>): void {
  const dev = n.vxlanDevice;
  const subject = (mac: string, dst: string) => `${mac} dev ${dev} dst ${dst}`;
  const kept = new Set<string>();
  const has = (mac: string, dst: string) => found.some((e) => e.mac === mac && e.dst === dst);
  for (const vtep of n.floodVteps) {
    kept.add(subject(FLOOD_MAC, vtep));
    if (!has(FLOOD_MAC, vtep))
      b.change('fdb', subject(FLOOD_MAC, vtep), 'missing', [['bridge', 'fdb', 'append', FLOOD_MAC, 'dev', dev, 'dst', vtep]]);
  }
  for (const entry of n.fdb) {
    const mac = lower(entry.mac);
    kept.add(subject(mac, entry.vtepIp));
    if (has(mac, entry.vtepIp)) continue;
    const other = found.find((e) => e.mac === mac && e.dst !== undefined);
    if (other?.dst !== undefined) {
      // replace moves the entry; the old destination is gone with it.
      kept.add(subject(mac, other.dst));
      b.change(
        'fdb',
        subject(mac, entry.vtepIp),
        'different',
        [['bridge', 'fdb', 'replace', mac, 'dev', dev, 'dst', entry.vtepIp]],
        `dst ${other.dst}`,
      );
    } else {
      b.change('fdb', subject(mac, entry.vtepIp), 'missing', [['bridge', 'fdb', 'replace', mac, 'dev', dev, 'dst', entry.vtepIp]]);
    }
  }
  for (const e of found) {
    if (e.dst === undefined || kept.has(subject(e.mac, e.dst))) continue;
    kept.add(subject(e.mac, e.dst));
    b.change('fdb', subject(e.mac, e.dst), 'extra', [['bridge', 'fdb', 'del', e.mac, 'dev', dev, 'dst', e.dst]]);
  }
}

function planUpAndSysctl(b: PlanBuilder, name: string, o: ObservedNamespace, sysctls: Record<string, string>): void {
  const lo = o.links.find((l) => l.name === 'lo');
  if (!lo?.up) b.change('link', inNs('lo', name), lo ? 'different' : 'missing', [ipIn(name, 'link', 'set', 'dev', 'lo', 'up')]);
  for (const [key, value] of Object.entries(sysctls)) {
    const now = o.sysctl[key];
    if (now !== value) {
      b.change(
        'sysctl',
        inNs(`${key}=${value}`, name),
        now === undefined ? 'missing' : 'different',
        [execIn(name, ['sysctl', '-w', `${key}=${value}`])],
        now === undefined ? undefined : `is ${now}`,
      );
    }
  }
}

/** Addresses on one device: missing ones added, others removed. */
function planAddresses(b: PlanBuilder, ns: string | undefined, dev: string, found: string[], want: string[]): void {
  for (const cidr of want)
    if (!found.includes(cidr)) b.change('address', inNs(`${cidr} dev ${dev}`, ns), 'missing', [ipIn(ns, 'addr', 'add', cidr, 'dev', dev)]);
  for (const cidr of found)
    if (!want.includes(cidr)) b.change('address', inNs(`${cidr} dev ${dev}`, ns), 'extra', [ipIn(ns, 'addr', 'del', cidr, 'dev', dev)]);
}

function planRouterBase(
  b: PlanBuilder,
  r: RouterPlacement,
  name: string,
  o: ObservedNamespace,
  hostLinks: Map<string, ObservedLink>,
  mtuOfBridge: Map<string, number>,
  wantedLinks: ReadonlySet<string>,
): void {
  planUpAndSysctl(b, name, o, { 'net.ipv4.ip_forward': '1', ...NO_IPV6 });
  const inside = byName(o.links);
  for (const i of r.interfaces) {
    const mac = lower(i.gatewayMac);
    const cidr = `${i.gatewayIp}/${i.prefixLength}`;
    const mtu = mtuOfBridge.get(i.bridge);
    const mtuArgs = mtu === undefined ? [] : ['mtu', String(mtu)];
    const qr = inside.get(i.device);
    const tap = hostLinks.get(i.peerDevice);
    const create = (): string[][] => {
      const cmds: string[][] = [];
      if (qr) cmds.push(ipIn(name, 'link', 'del', i.device));
      if (hostLinks.has(i.device)) cmds.push(['ip', 'link', 'del', i.device]);
      if (tap) cmds.push(['ip', 'link', 'del', i.peerDevice]);
      cmds.push(
        ['ip', 'link', 'add', i.device, 'address', mac, ...mtuArgs, 'type', 'veth', 'peer', 'name', i.peerDevice, ...mtuArgs],
        ['ip', 'link', 'set', 'dev', i.device, 'netns', name],
        ipIn(name, 'addr', 'add', cidr, 'dev', i.device),
        ipIn(name, 'link', 'set', 'dev', i.device, 'up'),
        ['ip', 'link', 'set', 'dev', i.peerDevice, 'master', i.bridge],
        ['ip', 'link', 'set', 'dev', i.peerDevice, 'up'],
      );
      return cmds;
    };
    if (tap && tap.kind !== 'veth') {
      b.refuse(
        'link',
        i.peerDevice,
        'different',
        `${i.peerDevice} exists as ${tap.kind ?? 'a plain device'}, not a veth: not livemig's, left alone`,
      );
      continue;
    }
    if (!qr || !tap) {
      b.change('link', inNs(i.device, name), qr ? 'different' : 'missing', create(), qr ? `peer ${i.peerDevice} missing` : undefined);
      continue;
    }
    if (qr.mac !== mac)
      b.change(
        'link',
        inNs(i.device, name),
        'different',
        [ipIn(name, 'link', 'set', 'dev', i.device, 'address', mac)],
        `mac ${qr.mac}, want ${mac}`,
      );
    if (mtu !== undefined && qr.mtu !== mtu)
      b.change(
        'link',
        inNs(i.device, name),
        'different',
        [ipIn(name, 'link', 'set', 'dev', i.device, 'mtu', String(mtu))],
        `mtu ${qr.mtu}`,
      );
    planAddresses(b, name, i.device, qr.addresses, [cidr]);
    if (!qr.up) b.change('link', inNs(i.device, name), 'different', [ipIn(name, 'link', 'set', 'dev', i.device, 'up')], 'down');
    if (tap.master !== i.bridge)
      b.change(
        'link',
        i.peerDevice,
        'different',
        [['ip', 'link', 'set', 'dev', i.peerDevice, 'master', i.bridge]],
        `master ${tap.master ?? 'none'}, want ${i.bridge}`,
      );
    if (mtu !== undefined && tap.mtu !== mtu)
      b.change('link', i.peerDevice, 'different', [['ip', 'link', 'set', 'dev', i.peerDevice, 'mtu', String(mtu)]], `mtu ${tap.mtu}`);
    if (!tap.up) b.change('link', i.peerDevice, 'different', [['ip', 'link', 'set', 'dev', i.peerDevice, 'up']], 'down');
  }
  const wantedQr = new Set(r.interfaces.map((i) => i.device));
  for (const link of o.links) {
    if (/^(qr|rfp|qg)-/.test(link.name) && !wantedLinks.has(link.name))
      b.change('link', inNs(link.name, name), 'extra', [ipIn(name, 'link', 'del', link.name)]);
  }
  // Static ARP: DVR routers never ARP across the tunnel.
  const wantedArp = new Set(r.arp.map((a) => `${a.ip} ${a.device}`));
  for (const a of r.arp) {
    const mac = lower(a.mac);
    const found = o.neighbours.find((n) => n.ip === a.ip && n.dev === a.device);
    if (found?.mac === mac) continue;
    b.change(
      'arp',
      inNs(`${a.ip} lladdr ${mac} dev ${a.device}`, name),
      found ? 'different' : 'missing',
      [ipIn(name, 'neigh', 'replace', a.ip, 'lladdr', mac, 'dev', a.device, 'nud', 'permanent')],
      found ? `lladdr ${found.mac ?? 'none'}` : undefined,
    );
  }
  for (const n of o.neighbours) {
    if (n.dev.startsWith('qr-') && wantedQr.has(n.dev) && !wantedArp.has(`${n.ip} ${n.dev}`)) {
      b.change('arp', inNs(`${n.ip} lladdr ${n.mac ?? 'none'} dev ${n.dev}`, name), 'extra', [
        ipIn(name, 'neigh', 'del', n.ip, 'dev', n.dev),
      ]);
    }
  }
}

/** A macvlan over the external interface, moved into `ns`. */
function planMacvlan(b: PlanBuilder, ns: string, dev: string, found: ObservedLink | undefined, external: ExternalCheck): boolean {
  if (found?.kind === 'macvlan' && found.macvlanMode === 'bridge') {
    if (!found.up) b.change('link', inNs(dev, ns), 'different', [ipIn(ns, 'link', 'set', 'dev', dev, 'up')], 'down');
    return true;
  }
  if (!external.ok) {
    b.refuse('link', inNs(dev, ns), found ? 'different' : 'missing', external.error);
    return false;
  }
  const cmds = found ? [ipIn(ns, 'link', 'del', dev)] : [];
  cmds.push(
    ['ip', 'link', 'add', dev, 'link', external.name, 'type', 'macvlan', 'mode', 'bridge'],
    ['ip', 'link', 'set', 'dev', dev, 'netns', ns],
    ipIn(ns, 'link', 'set', 'dev', dev, 'up'),
  );
  b.change(
    'link',
    inNs(dev, ns),
    found ? 'different' : 'missing',
    cmds,
    found ? `kind ${found.kind ?? 'none'} mode ${found.macvlanMode ?? 'none'}` : undefined,
  );
  return false;
}

function planDefaultRoute(b: PlanBuilder, ns: string, o: ObservedNamespace, via: string, dev: string, table: string): void {
  const found = o.routes.find((r) => r.table === table && r.dst === 'default');
  if (found?.gateway === via && found.dev === dev) return;
  const tableArgs = table === 'main' ? [] : ['table', table];
  b.change(
    'route',
    inNs(`default via ${via} dev ${dev}${table === 'main' ? '' : ` table ${table}`}`, ns),
    found ? 'different' : 'missing',
    [ipIn(ns, 'route', 'replace', 'default', 'via', via, 'dev', dev, ...tableArgs)],
    found ? `via ${found.gateway ?? 'none'} dev ${found.dev ?? 'none'}` : undefined,
  );
}

function planFipNamespace(b: PlanBuilder, f: FipNamespacePlug, name: string, o: ObservedNamespace, external: ExternalCheck): void {
  // ip_nonlocal_bind: gratuitous ARP for a FIP is sent from fg, where the FIP is not an address.
  planUpAndSysctl(b, name, o, { 'net.ipv4.ip_forward': '1', 'net.ipv4.ip_nonlocal_bind': '1', ...NO_IPV6 });
  const links = byName(o.links);
  const existed = planMacvlan(b, name, f.gatewayDevice, links.get(f.gatewayDevice), external);
  if (!existed && !external.ok) return;
  planAddresses(b, name, f.gatewayDevice, existed ? (links.get(f.gatewayDevice)?.addresses ?? []) : [], [
    `${f.gatewayAddress}/${f.prefixLength}`,
  ]);
  const proxyArp = `net.ipv4.conf.${f.gatewayDevice}.proxy_arp`;
  const now = existed ? o.sysctl[proxyArp] : undefined;
  if (now !== '1')
    b.change('sysctl', inNs(`${proxyArp}=1`, name), now === undefined ? 'missing' : 'different', [
      execIn(name, ['sysctl', '-w', `${proxyArp}=1`]),
    ]);
  planDefaultRoute(b, name, existed ? o : emptyNamespace(), f.externalGatewayIp, f.gatewayDevice, 'main');
  const wanted = new Set([f.gatewayDevice, ...f.routers.map((l) => l.fprDevice)]);
  for (const link of o.links) {
    if ((link.name.startsWith('fg-') || link.name.startsWith('fpr-')) && !wanted.has(link.name))
      b.change('link', inNs(link.name, name), 'extra', [ipIn(name, 'link', 'del', link.name)]);
  }
}

function planFipLink(
  b: PlanBuilder,
  r: RouterPlacement,
  link: FipRouterLink,
  qns: string,
  o: ObservedNamespace,
  fns: string,
  fo: ObservedNamespace,
): void {
  const rfp = o.links.find((l) => l.name === link.rfpDevice);
  const fpr = fo.links.find((l) => l.name === link.fprDevice);
  const rfpWant = [`${link.rfpIp}/31`, ...r.floatingIps.map((f) => `${f.floatingIp}/32`)];
  if (!rfp || !fpr) {
    const cmds: string[][] = [];
    if (rfp) cmds.push(ipIn(qns, 'link', 'del', link.rfpDevice));
    if (fpr) cmds.push(ipIn(fns, 'link', 'del', link.fprDevice));
    cmds.push(
      ['ip', 'link', 'add', link.rfpDevice, 'type', 'veth', 'peer', 'name', link.fprDevice],
      ['ip', 'link', 'set', 'dev', link.rfpDevice, 'netns', qns],
      ['ip', 'link', 'set', 'dev', link.fprDevice, 'netns', fns],
      ipIn(qns, 'link', 'set', 'dev', link.rfpDevice, 'up'),
      ipIn(fns, 'addr', 'add', `${link.fprIp}/31`, 'dev', link.fprDevice),
      ipIn(fns, 'link', 'set', 'dev', link.fprDevice, 'up'),
    );
    b.change('link', inNs(`${link.rfpDevice}/${link.fprDevice}`, qns), rfp || fpr ? 'different' : 'missing', cmds);
    planAddresses(b, qns, link.rfpDevice, [], rfpWant);
  } else {
    planAddresses(b, qns, link.rfpDevice, rfp.addresses, rfpWant);
    planAddresses(b, fns, link.fprDevice, fpr.addresses, [`${link.fprIp}/31`]);
    if (!rfp.up) b.change('link', inNs(link.rfpDevice, qns), 'different', [ipIn(qns, 'link', 'set', 'dev', link.rfpDevice, 'up')], 'down');
    if (!fpr.up) b.change('link', inNs(link.fprDevice, fns), 'different', [ipIn(fns, 'link', 'set', 'dev', link.fprDevice, 'up')], 'down');
  }
  const table = String(link.table);
  planDefaultRoute(b, qns, rfp && fpr ? o : emptyNamespace(), link.fprIp, link.rfpDevice, table);
  // Traffic from a port with a floating IP leaves through the fip namespace.
  const wantedRules = new Set(r.floatingIps.map((f) => f.fixedIp));
  const ours = o.rules.filter((rule) => !SYSTEM_TABLES.includes(rule.table));
  for (const fixed of wantedRules) {
    if (!ours.some((rule) => rule.src === fixed && rule.table === table && rule.priority === FIP_RULE_PRIORITY)) {
      b.change('rule', inNs(`from ${fixed} table ${table} priority ${FIP_RULE_PRIORITY}`, qns), 'missing', [
        ipIn(qns, 'rule', 'add', 'from', fixed, 'table', table, 'priority', String(FIP_RULE_PRIORITY)),
      ]);
    }
  }
  for (const rule of ours) {
    if (rule.table === table && wantedRules.has(rule.src) && rule.priority === FIP_RULE_PRIORITY) continue;
    b.change('rule', inNs(`from ${rule.src} table ${rule.table} priority ${rule.priority}`, qns), 'extra', [
      ipIn(qns, 'rule', 'del', 'from', rule.src, 'table', rule.table, 'priority', String(rule.priority)),
    ]);
  }
}

/** A router without a fip link keeps no floating-IP policy rules. */
function planNoFipRules(b: PlanBuilder, qns: string, o: ObservedNamespace): void {
  for (const rule of o.rules) {
    if (SYSTEM_TABLES.includes(rule.table)) continue;
    b.change('rule', inNs(`from ${rule.src} table ${rule.table} priority ${rule.priority}`, qns), 'extra', [
      ipIn(qns, 'rule', 'del', 'from', rule.src, 'table', rule.table, 'priority', String(rule.priority)),
    ]);
  }
}

function planExternalGateway(b: PlanBuilder, r: RouterPlacement, name: string, o: ObservedNamespace, external: ExternalCheck): void {
  const gw = r.externalGateway;
  if (!gw) return;
  const found = o.links.find((l) => l.name === gw.device);
  const existed = planMacvlan(b, name, gw.device, found, external);
  if (!existed && !external.ok) return;
  const fips = r.floatingIps.map((f) => `${f.floatingIp}/32`);
  const before = existed ? (found?.addresses ?? []) : [];
  planAddresses(b, name, gw.device, before, [`${gw.address}/${gw.prefixLength}`, ...fips]);
  planDefaultRoute(b, name, existed ? o : emptyNamespace(), gw.gatewayIp, gw.device, 'main');
  // The external side learns at once where a floating IP now lives.
  for (const f of r.floatingIps) {
    if (!before.includes(`${f.floatingIp}/32`))
      b.followUp([execIn(name, ['arping', '-U', '-c', '2', '-I', gw.device, '-s', f.floatingIp, f.floatingIp])]);
  }
}

/** DNAT of each floating IP to its fixed IP, SNAT back when leaving through rfp (DVR) or qg (legacy). */
function planRouterNat(b: PlanBuilder, r: RouterPlacement, name: string, o: ObservedNamespace, outDevice: string | undefined): void {
  const fips = outDevice === undefined ? [] : r.floatingIps;
  const rules: NftRuleSpec[] = fips.flatMap((f) => [
    { chain: 'prerouting', comment: `dnat ${f.floatingIp} to ${f.fixedIp}`, expr: ['ip', 'daddr', f.floatingIp, 'dnat', 'to', f.fixedIp] },
    {
      chain: 'postrouting',
      comment: `snat ${f.fixedIp} to ${f.floatingIp} via ${outDevice ?? ''}`,
      expr: ['oifname', `"${outDevice ?? ''}"`, 'ip', 'saddr', f.fixedIp, 'snat', 'to', f.floatingIp],
    },
  ]);
  planNftTable(
    b,
    name,
    {
      family: 'ip',
      name: ROUTER_NAT_TABLE,
      chains: [
        { name: 'prerouting', spec: ['type', 'nat', 'hook', 'prerouting', 'priority', 'dstnat'] },
        { name: 'postrouting', spec: ['type', 'nat', 'hook', 'postrouting', 'priority', 'srcnat'] },
      ],
      rules,
    },
    o.nftTables,
  );
}

/** In each fip namespace: FIP/32 via the router's rfp address, then gratuitous ARP from fg. */
function planFipRoutes(b: PlanBuilder, f: FipNamespacePlug, name: string, o: ObservedNamespace, routers: RouterPlacement[]): void {
  const wanted = new Map<string, { via: string; dev: string }>();
  for (const link of f.routers) {
    const router = routers.find((r) => r.routerId === link.routerId);
    for (const fip of router?.floatingIps ?? []) wanted.set(`${fip.floatingIp}/32`, { via: link.rfpIp, dev: link.fprDevice });
  }
  const found = o.routes.filter((r) => r.table === 'main' && r.type === 'unicast' && r.dev?.startsWith('fpr-') && r.dst.endsWith('/32'));
  const garp: string[][] = [];
  for (const [dst, want] of wanted) {
    const have = found.find((r) => r.dst === dst);
    if (have?.gateway === want.via && have.dev === want.dev) continue;
    b.change('route', inNs(`${dst} via ${want.via} dev ${want.dev}`, name), have ? 'different' : 'missing', [
      ipIn(name, 'route', 'replace', dst, 'via', want.via, 'dev', want.dev),
    ]);
    const ip = dst.slice(0, -3);
    garp.push(execIn(name, ['arping', '-U', '-c', '2', '-I', f.gatewayDevice, '-s', ip, ip]));
  }
  for (const r of found) {
    if (!wanted.has(r.dst))
      b.change('route', inNs(`${r.dst} via ${r.gateway ?? 'none'} dev ${r.dev ?? 'none'}`, name), 'extra', [
        ipIn(name, 'route', 'del', r.dst, 'dev', r.dev ?? ''),
      ]);
  }
  b.followUp(garp);
}

/** DVR: the gateway MAC and the gateway's ARP stay on this host. */
function dvrRules(routers: RouterPlacement[]): NftRuleSpec[] {
  const rules: NftRuleSpec[] = [];
  for (const r of routers) {
    if (!r.distributed || r.dvrHostMac === null) continue;
    const hostMac = lower(r.dvrHostMac);
    for (const i of r.interfaces) {
      const vx = `"${i.vxlanDevice}"`;
      const mac = lower(i.gatewayMac);
      const ip = i.gatewayIp;
      const rule = (comment: string, expr: string[]) => rules.push({ chain: 'dvr', comment: `${comment} ${i.vxlanDevice}`, expr });
      rule(`smac ${mac} to ${hostMac} out`, ['oifname', vx, 'ether', 'saddr', mac, 'ether', 'saddr', 'set', hostMac]);
      rule(`arp to ${ip} out`, ['oifname', vx, 'arp', 'daddr', 'ip', ip, 'drop']);
      rule(`arp from ${ip} out`, ['oifname', vx, 'arp', 'saddr', 'ip', ip, 'drop']);
      rule(`arp to ${ip} in`, ['iifname', vx, 'arp', 'daddr', 'ip', ip, 'drop']);
      rule(`arp from ${ip} in`, ['iifname', vx, 'arp', 'saddr', 'ip', ip, 'drop']);
      rule(`smac ${mac} in`, ['iifname', vx, 'ether', 'saddr', mac, 'drop']);
    }
  }
  return rules;
}

function planRemovedNetworks(b: PlanBuilder, desired: HostNetworkState, observed: ObservedHost, options: PlannerOptions): void {
  const wanted = new Set(desired.networks.flatMap((n) => [n.bridge, n.vxlanDevice]));
  const vnis = new Set<string>();
  for (const link of observed.host.links) {
    if (wanted.has(link.name)) continue;
    const vx = MANAGED_VXLAN.exec(link.name);
    if (vx?.[1] !== undefined) vnis.add(vx[1]);
    if (MANAGED_BRIDGE.test(link.name)) vnis.add(link.name.slice(3));
  }
  for (const vni of [...vnis].sort((a, b2) => Number(a) - Number(b2))) {
    const bridge = `brq${vni}`;
    const vxlan = `vxlan-${vni}`;
    const present = observed.host.links.filter((l) => l.name === bridge || l.name === vxlan);
    const foreign = observed.host.links
      .filter((l) => l.master === bridge && l.name !== vxlan && !options.ownedTaps.has(l.name))
      .map((l) => l.name);
    if (foreign.length > 0) {
      for (const l of present) b.refuse('link', l.name, 'extra', `not removed: ${foreign.join(', ')} still on ${bridge}`);
      continue;
    }
    for (const l of present.sort((x, y) => Number(y.name === vxlan) - Number(x.name === vxlan)))
      b.change('link', l.name, 'extra', [['ip', 'link', 'del', l.name]]);
  }
}
