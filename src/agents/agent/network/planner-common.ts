import { PlanBuilder, execIn, inNs, ipIn } from './network-plan';
import { type ObservedLink, type ObservedNamespace } from './observed-state';

// What the network planner's steps share: its options, the names and tables it owns, and the small
// steps every namespace needs (up, sysctls, addresses, macvlan legs, default routes).

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
export const FLOOD_MAC = '00:00:00:00:00:00';
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
export const SYSTEM_TABLES = ['local', 'main', 'default'];
export const MANAGED_BRIDGE = /^brq\d+$/;
export const MANAGED_VXLAN = /^vxlan-(\d+)$/;

export const isManagedNamespace = (name: string, prefix: string): boolean =>
  name.startsWith(`${prefix}qrouter-`) || name.startsWith(`${prefix}fip-`);

export const byName = (links: ObservedLink[]) => new Map(links.map((l) => [l.name, l]));
export const lower = (mac: string) => mac.toLowerCase();

export type ExternalCheck = { ok: true; name: string } | { ok: false; error: string };

export function checkExternal(name: string | null, hostLinks: Map<string, ObservedLink>): ExternalCheck {
  if (name === null)
    return { ok: false, error: 'the agent runs without --external-interface: floating IPs and external gateways cannot be plugged' };
  if (!hostLinks.has(name)) return { ok: false, error: `the external interface ${name} does not exist on this host` };
  return { ok: true, name };
}

export function planUpAndSysctl(plan: PlanBuilder, name: string, namespaceState: ObservedNamespace, sysctls: Record<string, string>): void {
  const lo = namespaceState.links.find((l) => l.name === 'lo');
  if (!lo?.up) plan.change('link', inNs('lo', name), lo ? 'different' : 'missing', [ipIn(name, 'link', 'set', 'dev', 'lo', 'up')]);
  for (const [key, value] of Object.entries(sysctls)) {
    const now = namespaceState.sysctl[key];
    if (now !== value) {
      plan.change(
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
export function planAddresses(plan: PlanBuilder, ns: string | undefined, dev: string, found: string[], want: string[]): void {
  for (const cidr of want)
    if (!found.includes(cidr))
      plan.change('address', inNs(`${cidr} dev ${dev}`, ns), 'missing', [ipIn(ns, 'addr', 'add', cidr, 'dev', dev)]);
  for (const cidr of found)
    if (!want.includes(cidr)) plan.change('address', inNs(`${cidr} dev ${dev}`, ns), 'extra', [ipIn(ns, 'addr', 'del', cidr, 'dev', dev)]);
}

/** A macvlan over the external interface, moved into `ns`. */
export function planMacvlan(plan: PlanBuilder, ns: string, dev: string, found: ObservedLink | undefined, external: ExternalCheck): boolean {
  if (found?.kind === 'macvlan' && found.macvlanMode === 'bridge') {
    if (!found.up) plan.change('link', inNs(dev, ns), 'different', [ipIn(ns, 'link', 'set', 'dev', dev, 'up')], 'down');
    return true;
  }
  if (!external.ok) {
    plan.refuse('link', inNs(dev, ns), found ? 'different' : 'missing', external.error);
    return false;
  }
  const cmds = found ? [ipIn(ns, 'link', 'del', dev)] : [];
  cmds.push(
    ['ip', 'link', 'add', dev, 'link', external.name, 'type', 'macvlan', 'mode', 'bridge'],
    ['ip', 'link', 'set', 'dev', dev, 'netns', ns],
    ipIn(ns, 'link', 'set', 'dev', dev, 'up'),
  );
  plan.change(
    'link',
    inNs(dev, ns),
    found ? 'different' : 'missing',
    cmds,
    found ? `kind ${found.kind ?? 'none'} mode ${found.macvlanMode ?? 'none'}` : undefined,
  );
  return false;
}

export function planDefaultRoute(
  plan: PlanBuilder,
  ns: string,
  namespaceState: ObservedNamespace,
  via: string,
  dev: string,
  table: string,
): void {
  const found = namespaceState.routes.find((r) => r.table === table && r.dst === 'default');
  if (found?.gateway === via && found.dev === dev) return;
  const tableArgs = table === 'main' ? [] : ['table', table];
  plan.change(
    'route',
    inNs(`default via ${via} dev ${dev}${table === 'main' ? '' : ` table ${table}`}`, ns),
    found ? 'different' : 'missing',
    [ipIn(ns, 'route', 'replace', 'default', 'via', via, 'dev', dev, ...tableArgs)],
    found ? `via ${found.gateway ?? 'none'} dev ${found.dev ?? 'none'}` : undefined,
  );
}
