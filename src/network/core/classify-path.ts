// The path class and hop-by-hop path between two ports, or a port and the external network, from the
// network model, as the studies define them (node × subnet, north-south through SNAT or a floating IP). Pure.
import {
  externalGatewayDevice,
  fipGatewayDevice,
  fipNamespace,
  fprDevice,
  rfpDevice,
  routerInterfaceDevice,
  routerNamespace,
  snatNamespace,
  snatInterfaceDevice,
} from './device-names';
import { byString, type ModelIndex } from './model-index';
import type { ModelHost, ModelPort, ModelRouter } from './network-model';
import type { PathHop, PathNat, PathPeer, PathResult, ReachablePath, RouterMode } from './path-class';
import { guestTapDevice, hop, hostOf, layer2 } from './path-segments';

const unreachable = (reason: string): PathResult => ({ reachable: false, reason });
const modeOf = (router: ModelRouter): RouterMode => (router.distributed ? 'dvr' : 'legacy');
const tunnels = (hops: PathHop[]) => hops.filter((h) => h.tunnel !== undefined).length;

export function classifyPath(index: ModelIndex, fromPortId: string, peer: PathPeer): PathResult {
  const from = index.ports.get(fromPortId);
  if (!from) return unreachable(`unknown port ${fromPortId}`);
  const fromHostId = index.activeHost(from);
  if (fromHostId === null) return unreachable(`port ${from.id} has no ACTIVE binding`);
  const fromHost = hostOf(index, fromHostId);
  if (peer.kind === 'external') return northSouth(index, from, fromHost);
  const to = index.ports.get(peer.portId);
  if (!to) return unreachable(`unknown port ${peer.portId}`);
  const toHostId = index.activeHost(to);
  if (toHostId === null) return unreachable(`port ${to.id} has no ACTIVE binding`);
  return eastWest(index, from, fromHost, to, hostOf(index, toHostId));
}

function eastWest(index: ModelIndex, from: ModelPort, fromHost: ModelHost, to: ModelPort, toHost: ModelHost): PathResult {
  const sameNode = fromHost.id === toHost.id;
  const start = hop('guest-tap', fromHost, null, guestTapDevice(from.id));
  const end = hop('guest-tap', toHost, null, guestTapDevice(to.id));
  if (from.subnetId === to.subnetId) {
    const hops = [start, ...layer2(index.network(from.networkId), fromHost, toHost), end];
    return path(sameNode ? 'intra-node-intra-subnet' : 'inter-node-intra-subnet', null, [], hops, null);
  }
  const router = sharedRouter(index, from.subnetId, to.subnetId);
  if (!router) return unreachable(`no router joins subnets ${from.subnetId} and ${to.subnetId}`);
  const routerHost = router.distributed ? fromHost : legacyHost(index, router);
  if (!routerHost) return unreachable(`legacy router ${router.id} has no host`);
  const hops = [
    start,
    ...layer2(index.network(from.networkId), fromHost, routerHost),
    hop('router-interface', routerHost, routerNamespace(router.id), interfaceDevice(index, router, from.subnetId)),
    hop('router-interface', routerHost, routerNamespace(router.id), interfaceDevice(index, router, to.subnetId)),
    ...layer2(index.network(to.networkId), routerHost, toHost),
    end,
  ];
  return path(sameNode ? 'intra-node-inter-subnet' : 'inter-node-inter-subnet', router, [routerHost.name], hops, null);
}

function northSouth(index: ModelIndex, from: ModelPort, fromHost: ModelHost): PathResult {
  const fip = index.model.floatingIps.find((f) => f.portId === from.id && f.routerId !== null);
  const router = fip
    ? index.routers.get(fip.routerId as string)
    : index.model.routers
        .filter((r) => r.externalNetworkId !== null && index.interfaces(r).some((i) => i.subnetId === from.subnetId))
        .sort(byString((r) => r.id))[0];
  if (!router?.externalNetworkId) return unreachable(`no router with an external gateway serves subnet ${from.subnetId}`);
  const gateway = index.model.ports.find((p) => p.deviceOwner === 'router_gateway' && p.deviceId === router.id);
  const nat: PathNat = fip ? { kind: 'floating-ip', address: fip.address } : { kind: 'snat', address: gateway?.fixedIp ?? 'none' };
  const start = hop('guest-tap', fromHost, null, guestTapDevice(from.id));
  const fromNet = index.network(from.networkId);
  const qr = interfaceDevice(index, router, from.subnetId);
  const cls = fip ? 'north-south-floating-ip' : 'north-south-snat';
  if (!router.distributed) {
    const at = legacyHost(index, router);
    if (!at) return unreachable(`legacy router ${router.id} has no host`);
    if (!gateway) return unreachable(`router ${router.id} has no gateway port`);
    const hops = [
      start,
      ...layer2(fromNet, fromHost, at),
      hop('router-interface', at, routerNamespace(router.id), qr),
      hop('router-gateway', at, routerNamespace(router.id), externalGatewayDevice(gateway.id)),
    ];
    return path(cls, router, [at.name], hops, nat);
  }
  const local = [start, ...layer2(fromNet, fromHost, fromHost), hop('router-interface', fromHost, routerNamespace(router.id), qr)];
  if (fip) {
    const fg = index.model.ports.find(
      (p) => p.deviceOwner === 'floatingip_agent_gateway' && p.networkId === router.externalNetworkId && p.deviceId === fromHost.id,
    );
    const hops = [
      ...local,
      hop('fip-link', fromHost, routerNamespace(router.id), rfpDevice(router.id)),
      hop('fip-link', fromHost, fipNamespace(router.externalNetworkId), fprDevice(router.id)),
      // The sync allocates the fg- port when the fip namespace is first needed on the host.
      hop('fip-gateway', fromHost, fipNamespace(router.externalNetworkId), fg ? fipGatewayDevice(fg.id) : 'fg-(not yet allocated)'),
    ];
    return path(cls, router, [fromHost.name], hops, nat);
  }
  // DVR without a floating IP: Neutron's centralised SNAT on the router's SNAT host.
  const snatHost = router.snatHostId ? index.hosts.get(router.snatHostId) : undefined;
  if (!snatHost) return unreachable(`DVR router ${router.id} has no centralised SNAT host; the port needs a floating IP`);
  if (!gateway) return unreachable(`router ${router.id} has no gateway port`);
  const snatNs = snatNamespace(router.id);
  const hops = [
    ...local,
    ...layer2(fromNet, fromHost, snatHost),
    hop('snat-interface', snatHost, snatNs, snatInterfaceDevice(interfacePort(index, router, from.subnetId)?.id ?? router.id)),
    hop('router-gateway', snatHost, snatNs, externalGatewayDevice(gateway.id)),
  ];
  return path(cls, router, [fromHost.name, snatHost.name], hops, nat);
}

function path(
  cls: ReachablePath['class'],
  router: ModelRouter | null,
  routedOn: string[],
  hops: PathHop[],
  nat: PathNat | null,
): ReachablePath {
  return {
    reachable: true,
    class: cls,
    mode: router ? modeOf(router) : null,
    routerId: router?.id ?? null,
    routedOn,
    tunnelCrossings: tunnels(hops),
    nat,
    hops,
  };
}

/** The first router (by id) with an interface on both subnets. */
function sharedRouter(index: ModelIndex, a: string, b: string): ModelRouter | undefined {
  return [...index.model.routers].sort(byString((r) => r.id)).find((r) => {
    const subnets = new Set(index.interfaces(r).map((i) => i.subnetId));
    return subnets.has(a) && subnets.has(b);
  });
}

function legacyHost(index: ModelIndex, router: ModelRouter): ModelHost | undefined {
  return router.legacyHostId ? index.hosts.get(router.legacyHostId) : undefined;
}

function interfacePort(index: ModelIndex, router: ModelRouter, subnetId: string): ModelPort | undefined {
  return index.interfaces(router).find((i) => i.subnetId === subnetId);
}

function interfaceDevice(index: ModelIndex, router: ModelRouter, subnetId: string): string {
  const port = interfacePort(index, router, subnetId);
  return port ? routerInterfaceDevice(port.id) : 'qr-(no interface)';
}
