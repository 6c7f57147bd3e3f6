import type { RouterPlacement } from '../../protocol';
import { planNftTable, type NftRuleSpec } from './nft-plan';
import { GARP, PlanBuilder, execIn, inNs, ipIn } from './network-plan';
import { emptyNamespace, type ObservedLink, type ObservedNamespace } from './observed-state';
import {
  ROUTER_NAT_TABLE,
  NO_IPV6,
  SYSTEM_TABLES,
  byName,
  lower,
  type ExternalCheck,
  planUpAndSysctl,
  planAddresses,
  planMacvlan,
  planDefaultRoute,
} from './planner-common';

// Routers on the host: the qrouter namespace with its qr- interfaces and static ARP, the legacy
// external gateway, the router's NAT and the DVR bridge rules that keep the gateway MAC off the tunnel.

export function planRouterBase(
  plan: PlanBuilder,
  r: RouterPlacement,
  name: string,
  namespaceState: ObservedNamespace,
  hostLinks: Map<string, ObservedLink>,
  mtuOfBridge: Map<string, number>,
  wantedLinks: ReadonlySet<string>,
): void {
  planUpAndSysctl(plan, name, namespaceState, { 'net.ipv4.ip_forward': '1', ...NO_IPV6 });
  const inside = byName(namespaceState.links);
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
      plan.refuse(
        'link',
        i.peerDevice,
        'different',
        `${i.peerDevice} exists as ${tap.kind ?? 'a plain device'}, not a veth: not livemig's, left alone`,
      );
      continue;
    }
    if (!qr || !tap) {
      plan.change('link', inNs(i.device, name), qr ? 'different' : 'missing', create(), qr ? `peer ${i.peerDevice} missing` : undefined);
      continue;
    }
    if (qr.mac !== mac)
      plan.change(
        'link',
        inNs(i.device, name),
        'different',
        [ipIn(name, 'link', 'set', 'dev', i.device, 'address', mac)],
        `mac ${qr.mac}, want ${mac}`,
      );
    if (mtu !== undefined && qr.mtu !== mtu)
      plan.change(
        'link',
        inNs(i.device, name),
        'different',
        [ipIn(name, 'link', 'set', 'dev', i.device, 'mtu', String(mtu))],
        `mtu ${qr.mtu}`,
      );
    planAddresses(plan, name, i.device, qr.addresses, [cidr]);
    if (!qr.up) plan.change('link', inNs(i.device, name), 'different', [ipIn(name, 'link', 'set', 'dev', i.device, 'up')], 'down');
    if (tap.master !== i.bridge)
      plan.change(
        'link',
        i.peerDevice,
        'different',
        [['ip', 'link', 'set', 'dev', i.peerDevice, 'master', i.bridge]],
        `master ${tap.master ?? 'none'}, want ${i.bridge}`,
      );
    if (mtu !== undefined && tap.mtu !== mtu)
      plan.change('link', i.peerDevice, 'different', [['ip', 'link', 'set', 'dev', i.peerDevice, 'mtu', String(mtu)]], `mtu ${tap.mtu}`);
    if (!tap.up) plan.change('link', i.peerDevice, 'different', [['ip', 'link', 'set', 'dev', i.peerDevice, 'up']], 'down');
  }
  const wantedQr = new Set(r.interfaces.map((i) => i.device));
  for (const link of namespaceState.links) {
    if (/^(qr|rfp|qg)-/.test(link.name) && !wantedLinks.has(link.name))
      plan.change('link', inNs(link.name, name), 'extra', [ipIn(name, 'link', 'del', link.name)]);
  }
  // Static ARP: DVR routers never ARP across the tunnel.
  const wantedArp = new Set(r.arp.map((a) => `${a.ip} ${a.device}`));
  for (const a of r.arp) {
    const mac = lower(a.mac);
    const found = namespaceState.neighbours.find((n) => n.ip === a.ip && n.dev === a.device);
    if (found?.mac === mac) continue;
    plan.change(
      'arp',
      inNs(`${a.ip} lladdr ${mac} dev ${a.device}`, name),
      found ? 'different' : 'missing',
      [ipIn(name, 'neigh', 'replace', a.ip, 'lladdr', mac, 'dev', a.device, 'nud', 'permanent')],
      found ? `lladdr ${found.mac ?? 'none'}` : undefined,
    );
  }
  for (const n of namespaceState.neighbours) {
    if (n.dev.startsWith('qr-') && wantedQr.has(n.dev) && !wantedArp.has(`${n.ip} ${n.dev}`)) {
      plan.change('arp', inNs(`${n.ip} lladdr ${n.mac ?? 'none'} dev ${n.dev}`, name), 'extra', [
        ipIn(name, 'neigh', 'del', n.ip, 'dev', n.dev),
      ]);
    }
  }
}

/** A router without a fip link keeps no floating-IP policy rules. */
export function planNoFipRules(plan: PlanBuilder, qns: string, namespaceState: ObservedNamespace): void {
  for (const rule of namespaceState.rules) {
    if (SYSTEM_TABLES.includes(rule.table)) continue;
    plan.change('rule', inNs(`from ${rule.src} table ${rule.table} priority ${rule.priority}`, qns), 'extra', [
      ipIn(qns, 'rule', 'del', 'from', rule.src, 'table', rule.table, 'priority', String(rule.priority)),
    ]);
  }
}

export function planExternalGateway(
  plan: PlanBuilder,
  r: RouterPlacement,
  name: string,
  namespaceState: ObservedNamespace,
  external: ExternalCheck,
): void {
  const gw = r.externalGateway;
  if (!gw) return;
  const found = namespaceState.links.find((l) => l.name === gw.device);
  const existed = planMacvlan(plan, name, gw.device, found, external);
  if (!existed && !external.ok) return;
  const fips = r.floatingIps.map((f) => `${f.floatingIp}/32`);
  const before = existed ? (found?.addresses ?? []) : [];
  planAddresses(plan, name, gw.device, before, [`${gw.address}/${gw.prefixLength}`, ...fips]);
  planDefaultRoute(plan, name, existed ? namespaceState : emptyNamespace(), gw.gatewayIp, gw.device, 'main');
  // The external side learns at once where a floating IP now lives.
  for (const f of r.floatingIps) {
    if (!before.includes(`${f.floatingIp}/32`)) plan.announce([execIn(name, [...GARP, '-I', gw.device, '-s', f.floatingIp, f.floatingIp])]);
  }
}

/** DNAT of each floating IP to its fixed IP, SNAT back when leaving through rfp (DVR) or qg (legacy). */
export function planRouterNat(
  plan: PlanBuilder,
  r: RouterPlacement,
  name: string,
  namespaceState: ObservedNamespace,
  outDevice: string | undefined,
): void {
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
    plan,
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
    namespaceState.nftTables,
  );
}

/** DVR: the gateway MAC and the gateway's ARP stay on this host. */
export function dvrRules(routers: RouterPlacement[]): NftRuleSpec[] {
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
