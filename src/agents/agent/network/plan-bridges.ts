import type { HostNetworkState, NetworkPlug } from '../../protocol';
import { PlanBuilder } from './network-plan';
import { type ObservedHost, type ObservedLink } from './observed-state';
import { type PlannerOptions, VXLAN_PORT, FLOOD_MAC, MANAGED_BRIDGE, MANAGED_VXLAN, lower } from './planner-common';

// Tenant networks on the host: the Linux bridge, its VXLAN device and the l2population FDB, and the
// removal of networks no longer desired.

export function planNetworkPlug(
  plan: PlanBuilder,
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
    plan.change('link', n.bridge, 'missing', createBridge);
    bridgeNew = true;
  } else if (br.kind !== 'bridge') {
    plan.change(
      'link',
      n.bridge,
      'different',
      [['ip', 'link', 'del', n.bridge], ...createBridge],
      `kind ${br.kind ?? 'none'}, want bridge`,
    );
    bridgeNew = true;
  } else {
    if (br.mtu !== n.mtu)
      plan.change('link', n.bridge, 'different', [['ip', 'link', 'set', 'dev', n.bridge, 'mtu', mtu]], `mtu ${br.mtu}, want ${n.mtu}`);
    if (!br.up) plan.change('link', n.bridge, 'different', [['ip', 'link', 'set', 'dev', n.bridge, 'up']], 'down');
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
    plan.change('link', n.vxlanDevice, 'missing', createVxlan);
    vxlanNew = true;
  } else {
    const v = vx.vxlan;
    const same = vx.kind === 'vxlan' && v !== undefined && v.id === n.vni && v.local === localVtep && v.port === VXLAN_PORT && !v.learning;
    if (!same) {
      const found = v
        ? `id ${v.id} local ${v.local ?? 'none'} dstport ${v.port}${v.learning ? ' learning' : ' nolearning'}`
        : `kind ${vx.kind ?? 'none'}`;
      plan.change(
        'link',
        n.vxlanDevice,
        'different',
        [['ip', 'link', 'del', n.vxlanDevice], ...createVxlan],
        `${found}; want id ${n.vni} local ${localVtep} dstport ${VXLAN_PORT} nolearning`,
      );
      vxlanNew = true;
    } else {
      if (vx.mtu !== n.mtu)
        plan.change(
          'link',
          n.vxlanDevice,
          'different',
          [['ip', 'link', 'set', 'dev', n.vxlanDevice, 'mtu', mtu]],
          `mtu ${vx.mtu}, want ${n.mtu}`,
        );
      if (vx.master !== n.bridge || bridgeNew) {
        plan.change(
          'link',
          n.vxlanDevice,
          'different',
          [['ip', 'link', 'set', 'dev', n.vxlanDevice, 'master', n.bridge]],
          `master ${vx.master ?? 'none'}, want ${n.bridge}`,
        );
      }
      if (!vx.up) plan.change('link', n.vxlanDevice, 'different', [['ip', 'link', 'set', 'dev', n.vxlanDevice, 'up']], 'down');
    }
  }
  planFdb(plan, n, vxlanNew ? [] : observed.fdb.filter((e) => e.dev === n.vxlanDevice && e.dst !== undefined && e.master === undefined));
}

export function planFdb(plan: PlanBuilder, n: NetworkPlug, found: Array<{ mac: string; dst: string | undefined }>): void {
  const dev = n.vxlanDevice;
  const subject = (mac: string, dst: string) => `${mac} dev ${dev} dst ${dst}`;
  const kept = new Set<string>();
  const has = (mac: string, dst: string) => found.some((e) => e.mac === mac && e.dst === dst);
  for (const vtep of n.floodVteps) {
    kept.add(subject(FLOOD_MAC, vtep));
    if (!has(FLOOD_MAC, vtep))
      plan.change('fdb', subject(FLOOD_MAC, vtep), 'missing', [['bridge', 'fdb', 'append', FLOOD_MAC, 'dev', dev, 'dst', vtep]]);
  }
  for (const entry of n.fdb) {
    const mac = lower(entry.mac);
    kept.add(subject(mac, entry.vtepIp));
    if (has(mac, entry.vtepIp)) continue;
    const other = found.find((e) => e.mac === mac && e.dst !== undefined);
    if (other?.dst !== undefined) {
      // replace moves the entry; the old destination is gone with it.
      kept.add(subject(mac, other.dst));
      plan.change(
        'fdb',
        subject(mac, entry.vtepIp),
        'different',
        [['bridge', 'fdb', 'replace', mac, 'dev', dev, 'dst', entry.vtepIp]],
        `dst ${other.dst}`,
      );
    } else {
      plan.change('fdb', subject(mac, entry.vtepIp), 'missing', [['bridge', 'fdb', 'replace', mac, 'dev', dev, 'dst', entry.vtepIp]]);
    }
  }
  for (const e of found) {
    if (e.dst === undefined || kept.has(subject(e.mac, e.dst))) continue;
    kept.add(subject(e.mac, e.dst));
    plan.change('fdb', subject(e.mac, e.dst), 'extra', [['bridge', 'fdb', 'del', e.mac, 'dev', dev, 'dst', e.dst]]);
  }
}

export function planRemovedNetworks(plan: PlanBuilder, desired: HostNetworkState, observed: ObservedHost, options: PlannerOptions): void {
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
      for (const l of present) plan.refuse('link', l.name, 'extra', `not removed: ${foreign.join(', ')} still on ${bridge}`);
      continue;
    }
    for (const l of present.sort((x, y) => Number(y.name === vxlan) - Number(x.name === vxlan)))
      plan.change('link', l.name, 'extra', [['ip', 'link', 'del', l.name]]);
  }
}
