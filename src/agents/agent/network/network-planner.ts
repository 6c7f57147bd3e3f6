import type { FipRouterLink, HostNetworkState } from '../../protocol';
import { planNftTable } from './nft-plan';
import { PlanBuilder, type NetworkPlan } from './network-plan';
import { emptyNamespace, type ObservedHost, type ObservedNamespace } from './observed-state';
import { type PlannerOptions, DVR_TABLE, isManagedNamespace, byName, checkExternal } from './planner-common';
import { planNetworkPlug, planRemovedNetworks } from './plan-bridges';
import { planRouterBase, planNoFipRules, planExternalGateway, planRouterNat, dvrRules } from './plan-qrouter';
import { planFipNamespace, planFipLink, planFipRoutes } from './plan-fip';

// The pure heart of the network agent: (desired, observed) → drift and the
// commands that repair it, in the order they must run. No I/O here. Each kind of
// device has its own file (bridges, qrouter, fip); this one puts them in order.

export {
  DVR_TABLE,
  FIP_RULE_PRIORITY,
  isManagedNamespace,
  NO_IPV6,
  ROUTER_NAT_TABLE,
  VXLAN_PORT,
  type PlannerOptions,
} from './planner-common';

export function planNetwork(desired: HostNetworkState, observed: ObservedHost, options: PlannerOptions): NetworkPlan {
  const plan = new PlanBuilder();
  const ns = (name: string) => options.netnsPrefix + name;
  const hostLinks = byName(observed.host.links);
  const mtuOfBridge = new Map(desired.networks.map((n) => [n.bridge, n.mtu]));
  const existing = new Set(observed.namespaceNames);
  const view = (name: string): ObservedNamespace => observed.namespaces[name] ?? emptyNamespace();

  // Namespaces no longer desired go first: their veths die with them.
  const wantedNs = new Set([...desired.routers.map((r) => ns(r.namespace)), ...desired.fipNamespaces.map((f) => ns(f.namespace))]);
  for (const name of observed.namespaceNames) {
    if (isManagedNamespace(name, options.netnsPrefix) && !wantedNs.has(name))
      plan.change('netns', name, 'extra', [['ip', 'netns', 'delete', name]]);
  }

  for (const network of desired.networks) planNetworkPlug(plan, network, desired.localVtepIp, hostLinks, observed);

  const stale = new Set(observed.staleNamespaces);
  const ensureNs = (name: string) => {
    if (stale.has(name))
      plan.change(
        'netns',
        name,
        'different',
        [
          ['ip', 'netns', 'delete', name],
          ['ip', 'netns', 'add', name],
        ],
        'the name no longer holds a namespace',
      );
    else if (!existing.has(name)) plan.change('netns', name, 'missing', [['ip', 'netns', 'add', name]]);
  };
  const external = checkExternal(options.externalInterface, hostLinks);

  for (const fip of desired.fipNamespaces) {
    const name = ns(fip.namespace);
    ensureNs(name);
    planFipNamespace(plan, fip, name, view(name), external);
  }

  const links = new Map<string, { link: FipRouterLink; fipNs: string }>();
  for (const fip of desired.fipNamespaces) for (const link of fip.routers) links.set(link.routerId, { link, fipNs: ns(fip.namespace) });

  for (const router of desired.routers) {
    const name = ns(router.namespace);
    ensureNs(name);
    const namespaceState = view(name);
    const fipLink = links.get(router.routerId);
    const wanted = new Set([...router.interfaces.map((i) => i.device)]);
    if (router.distributed && fipLink) wanted.add(fipLink.link.rfpDevice);
    if (!router.distributed && router.externalGateway) wanted.add(router.externalGateway.device);
    planRouterBase(plan, router, name, namespaceState, hostLinks, mtuOfBridge, wanted);
    if (!(router.distributed && fipLink)) planNoFipRules(plan, name, namespaceState);
    if (router.distributed && fipLink) planFipLink(plan, router, fipLink.link, name, namespaceState, fipLink.fipNs, view(fipLink.fipNs));
    if (!router.distributed && router.externalGateway) planExternalGateway(plan, router, name, namespaceState, external);
    planRouterNat(plan, router, name, namespaceState, router.distributed ? fipLink?.link.rfpDevice : router.externalGateway?.device);
  }

  for (const fip of desired.fipNamespaces) planFipRoutes(plan, fip, ns(fip.namespace), view(ns(fip.namespace)), desired.routers);

  planNftTable(
    plan,
    undefined,
    {
      family: 'bridge',
      name: DVR_TABLE,
      chains: [{ name: 'dvr', spec: ['type', 'filter', 'hook', 'forward', 'priority', '0'] }],
      rules: dvrRules(desired.routers),
    },
    observed.host.nftTables,
  );

  planRemovedNetworks(plan, desired, observed, options);
  return plan.build();
}
