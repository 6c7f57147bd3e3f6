import type { FipNamespacePlug, FipRouterLink, RouterPlacement } from '../../protocol';
import { GARP, PlanBuilder, execIn, inNs, ipIn } from './network-plan';
import { emptyNamespace, type ObservedNamespace } from './observed-state';
import {
  FIP_RULE_PRIORITY,
  NO_IPV6,
  SYSTEM_TABLES,
  byName,
  type ExternalCheck,
  planUpAndSysctl,
  planAddresses,
  planMacvlan,
  planDefaultRoute,
} from './planner-common';

// DVR north-south: the fip namespace with its fg- leg, the rfp/fpr link to each router and the
// floating-IP routes and rules.

export function planFipNamespace(
  plan: PlanBuilder,
  f: FipNamespacePlug,
  name: string,
  namespaceState: ObservedNamespace,
  external: ExternalCheck,
): void {
  // ip_nonlocal_bind: gratuitous ARP for a FIP is sent from fg, where the FIP is not an address.
  planUpAndSysctl(plan, name, namespaceState, { 'net.ipv4.ip_forward': '1', 'net.ipv4.ip_nonlocal_bind': '1', ...NO_IPV6 });
  const links = byName(namespaceState.links);
  const existed = planMacvlan(plan, name, f.gatewayDevice, links.get(f.gatewayDevice), external);
  if (!existed && !external.ok) return;
  planAddresses(plan, name, f.gatewayDevice, existed ? (links.get(f.gatewayDevice)?.addresses ?? []) : [], [
    `${f.gatewayAddress}/${f.prefixLength}`,
  ]);
  const proxyArp = `net.ipv4.conf.${f.gatewayDevice}.proxy_arp`;
  const now = existed ? namespaceState.sysctl[proxyArp] : undefined;
  if (now !== '1')
    plan.change('sysctl', inNs(`${proxyArp}=1`, name), now === undefined ? 'missing' : 'different', [
      execIn(name, ['sysctl', '-w', `${proxyArp}=1`]),
    ]);
  planDefaultRoute(plan, name, existed ? namespaceState : emptyNamespace(), f.externalGatewayIp, f.gatewayDevice, 'main');
  const wanted = new Set([f.gatewayDevice, ...f.routers.map((l) => l.fprDevice)]);
  for (const link of namespaceState.links) {
    if ((link.name.startsWith('fg-') || link.name.startsWith('fpr-')) && !wanted.has(link.name))
      plan.change('link', inNs(link.name, name), 'extra', [ipIn(name, 'link', 'del', link.name)]);
  }
}

export function planFipLink(
  plan: PlanBuilder,
  r: RouterPlacement,
  link: FipRouterLink,
  qns: string,
  namespaceState: ObservedNamespace,
  fns: string,
  fo: ObservedNamespace,
): void {
  const rfp = namespaceState.links.find((l) => l.name === link.rfpDevice);
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
    plan.change('link', inNs(`${link.rfpDevice}/${link.fprDevice}`, qns), rfp || fpr ? 'different' : 'missing', cmds);
    planAddresses(plan, qns, link.rfpDevice, [], rfpWant);
  } else {
    planAddresses(plan, qns, link.rfpDevice, rfp.addresses, rfpWant);
    planAddresses(plan, fns, link.fprDevice, fpr.addresses, [`${link.fprIp}/31`]);
    if (!rfp.up)
      plan.change('link', inNs(link.rfpDevice, qns), 'different', [ipIn(qns, 'link', 'set', 'dev', link.rfpDevice, 'up')], 'down');
    if (!fpr.up)
      plan.change('link', inNs(link.fprDevice, fns), 'different', [ipIn(fns, 'link', 'set', 'dev', link.fprDevice, 'up')], 'down');
  }
  const table = String(link.table);
  planDefaultRoute(plan, qns, rfp && fpr ? namespaceState : emptyNamespace(), link.fprIp, link.rfpDevice, table);
  // Traffic from a port with a floating IP leaves through the fip namespace.
  const wantedRules = new Set(r.floatingIps.map((f) => f.fixedIp));
  const ours = namespaceState.rules.filter((rule) => !SYSTEM_TABLES.includes(rule.table));
  for (const fixed of wantedRules) {
    if (!ours.some((rule) => rule.src === fixed && rule.table === table && rule.priority === FIP_RULE_PRIORITY)) {
      plan.change('rule', inNs(`from ${fixed} table ${table} priority ${FIP_RULE_PRIORITY}`, qns), 'missing', [
        ipIn(qns, 'rule', 'add', 'from', fixed, 'table', table, 'priority', String(FIP_RULE_PRIORITY)),
      ]);
    }
  }
  for (const rule of ours) {
    if (rule.table === table && wantedRules.has(rule.src) && rule.priority === FIP_RULE_PRIORITY) continue;
    plan.change('rule', inNs(`from ${rule.src} table ${rule.table} priority ${rule.priority}`, qns), 'extra', [
      ipIn(qns, 'rule', 'del', 'from', rule.src, 'table', rule.table, 'priority', String(rule.priority)),
    ]);
  }
}

/** In each fip namespace: FIP/32 via the router's rfp address, then gratuitous ARP from fg. */
export function planFipRoutes(
  plan: PlanBuilder,
  f: FipNamespacePlug,
  name: string,
  namespaceState: ObservedNamespace,
  routers: RouterPlacement[],
): void {
  const wanted = new Map<string, { via: string; dev: string }>();
  for (const link of f.routers) {
    const router = routers.find((r) => r.routerId === link.routerId);
    for (const fip of router?.floatingIps ?? []) wanted.set(`${fip.floatingIp}/32`, { via: link.rfpIp, dev: link.fprDevice });
  }
  const found = namespaceState.routes.filter(
    (r) => r.table === 'main' && r.type === 'unicast' && r.dev?.startsWith('fpr-') && r.dst.endsWith('/32'),
  );
  const garp: string[][] = [];
  for (const [dst, want] of wanted) {
    const have = found.find((r) => r.dst === dst);
    if (have?.gateway === want.via && have.dev === want.dev) continue;
    plan.change('route', inNs(`${dst} via ${want.via} dev ${want.dev}`, name), have ? 'different' : 'missing', [
      ipIn(name, 'route', 'replace', dst, 'via', want.via, 'dev', want.dev),
    ]);
    const ip = dst.slice(0, -3);
    garp.push(execIn(name, [...GARP, '-I', f.gatewayDevice, '-s', ip, ip]));
  }
  for (const r of found) {
    if (!wanted.has(r.dst))
      plan.change('route', inNs(`${r.dst} via ${r.gateway ?? 'none'} dev ${r.dev ?? 'none'}`, name), 'extra', [
        ipIn(name, 'route', 'del', r.dst, 'dev', r.dev ?? ''),
      ]);
  }
  plan.announce(garp);
}
