// Network model → one host's desired state (Neutron DVR with l2population). Pure:
// the same model and host always give the same state, in a stable order.
import {
  bridgeName,
  externalGatewayDevice,
  fipGatewayDevice,
  fipNamespace,
  fprDevice,
  routerInterfaceDevice,
  routerInterfacePeer,
  routerNamespace,
  rfpDevice,
  vxlanDeviceName,
} from './device-names';
import type {
  ExternalGatewayPlug,
  FdbEntry,
  FipNamespacePlug,
  FipRouterLink,
  FloatingIpPlug,
  HostNetworkState,
  NetworkPlug,
  RouterInterfacePlug,
  RouterPlacement,
  StaticArp,
} from '../../agents/protocol';
import { ipToNumber, numberToIp, parseCidr } from './ipv4';
import { dvrHostMac } from './mac';
import type { ModelFloatingIp, ModelHost, ModelNetwork, ModelPort, ModelRouter, ModelSubnet, NetworkModel } from './network-model';

/** Neutron's `fip_link_cidr` default range for rfp/fpr pairs. */
export const FIP_LINK_RANGE = { first: '169.254.106.0', pairs: 256 } as const;
/** qrouter policy-routing tables for floating-IP traffic start here (below: main, local, default). */
export const FIP_RULE_TABLE_BASE = 16;

export class MissingFipGatewayError extends Error {
  override readonly name = 'MissingFipGatewayError';
  constructor(
    readonly hostId: string,
    readonly networkId: string,
  ) {
    super(`host ${hostId} has no floatingip_agent_gateway port on network ${networkId}`);
  }
}

const byString =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/** Lookups built once per compile. */
class ModelIndex {
  readonly hosts = new Map<string, ModelHost>();
  readonly networks = new Map<string, ModelNetwork>();
  readonly subnets = new Map<string, ModelSubnet>();
  readonly routers = new Map<string, ModelRouter>();
  readonly ports = new Map<string, ModelPort>();
  readonly portsBySubnet = new Map<string, ModelPort[]>();
  readonly portsByNetwork = new Map<string, ModelPort[]>();
  readonly interfacesByRouter = new Map<string, ModelPort[]>();

  constructor(readonly model: NetworkModel) {
    for (const h of model.hosts) this.hosts.set(h.id, h);
    for (const n of model.networks) this.networks.set(n.id, n);
    for (const s of model.subnets) this.subnets.set(s.id, s);
    for (const r of model.routers) this.routers.set(r.id, r);
    for (const p of [...model.ports].sort(byString((q) => q.id))) {
      this.ports.set(p.id, p);
      push(this.portsBySubnet, p.subnetId, p);
      push(this.portsByNetwork, p.networkId, p);
      if (p.deviceOwner === 'router_interface' && p.deviceId) push(this.interfacesByRouter, p.deviceId, p);
    }
  }

  interfaces(router: ModelRouter): ModelPort[] {
    return this.interfacesByRouter.get(router.id) ?? [];
  }

  /** Where the port's traffic is, for l2population; null for distributed router ports (everywhere). */
  activeHost(port: ModelPort): string | null {
    if (port.deviceOwner === 'router_interface' || port.deviceOwner === 'router_gateway') {
      const router = port.deviceId ? this.routers.get(port.deviceId) : undefined;
      return router && !router.distributed ? router.legacyHostId : null;
    }
    return port.bindings.find((b) => b.status === 'ACTIVE')?.hostId ?? null;
  }

  computePortsOn(hostId: string): ModelPort[] {
    return this.model.ports.filter((p) => p.deviceOwner === 'compute' && isOn(p, hostId));
  }

  /** DVR: where a compute port of one of its subnets is bound; legacy: its legacy host. */
  routersPlacedOn(hostId: string): ModelRouter[] {
    const local = new Set(this.computePortsOn(hostId).map((p) => p.subnetId));
    return [...this.model.routers]
      .filter((r) => (r.distributed ? this.interfaces(r).some((i) => local.has(i.subnetId)) : r.legacyHostId === hostId))
      .sort(byString((r) => r.id));
  }

  pluggedNetworks(hostId: string): Set<string> {
    const plugged = new Set(this.computePortsOn(hostId).map((p) => p.networkId));
    for (const r of this.routersPlacedOn(hostId)) for (const i of this.interfaces(r)) plugged.add(i.networkId);
    return plugged;
  }

  subnet(id: string): ModelSubnet {
    const subnet = this.subnets.get(id);
    if (!subnet) throw new RangeError(`port refers to unknown subnet ${id}`);
    return subnet;
  }

  network(id: string): ModelNetwork {
    const network = this.networks.get(id);
    if (!network) throw new RangeError(`unknown network ${id}`);
    return network;
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A binding on the host, ACTIVE or INACTIVE (INACTIVE = the pre-plugged destination of a migration). */
function isOn(port: ModelPort, hostId: string): boolean {
  return port.bindings.some((b) => b.hostId === hostId);
}

function prefixLength(subnet: ModelSubnet): number {
  return parseCidr(subnet.cidr).prefixLength;
}

interface FipNeed {
  networkId: string;
  /** The DVR routers on the host with their gateway on this network, by id. */
  routers: ModelRouter[];
}

/** External networks that need a fip namespace on the host: a DVR router there serves a FIP of a port there. */
function fipNeeds(index: ModelIndex, hostId: string): FipNeed[] {
  const dvr = index.routersPlacedOn(hostId).filter((r) => r.distributed && r.externalNetworkId);
  const needs: FipNeed[] = [];
  const networkIds = [...new Set(dvr.map((r) => r.externalNetworkId as string))].sort();
  for (const networkId of networkIds) {
    const routers = dvr.filter((r) => r.externalNetworkId === networkId);
    const routerIds = new Set(routers.map((r) => r.id));
    const used = index.model.floatingIps.some((f) => {
      const port = f.portId ? index.ports.get(f.portId) : undefined;
      return f.networkId === networkId && f.routerId !== null && routerIds.has(f.routerId) && port !== undefined && isOn(port, hostId);
    });
    if (used) needs.push({ networkId, routers });
  }
  return needs;
}

/** The (host, external network) pairs that need a floatingip_agent_gateway port; the service allocates them before compiling. */
export function fipGatewaysNeeded(model: NetworkModel): Array<{ hostId: string; networkId: string }> {
  const index = new ModelIndex(model);
  return model.hosts.flatMap((h) => fipNeeds(index, h.id).map((n) => ({ hostId: h.id, networkId: n.networkId })));
}

export function compileHostState(model: NetworkModel, hostId: string): HostNetworkState {
  const index = new ModelIndex(model);
  const host = index.hosts.get(hostId);
  if (!host) throw new RangeError(`unknown host ${hostId}`);
  if (!host.vtepIp) throw new RangeError(`host ${host.name} has no VTEP address`);
  return {
    host: host.name,
    revision: model.revision,
    localVtepIp: host.vtepIp,
    networks: compileNetworks(index, host),
    routers: index.routersPlacedOn(host.id).map((r) => compileRouter(index, r, host)),
    fipNamespaces: fipNeeds(index, host.id).map((need) => compileFipNamespace(index, need, host)),
  };
}

function compileNetworks(index: ModelIndex, host: ModelHost): NetworkPlug[] {
  const pluggedHere = index.pluggedNetworks(host.id);
  const pluggedElsewhere = index.model.hosts
    .filter((h) => h.id !== host.id && h.vtepIp)
    .map((h) => ({ vtepIp: h.vtepIp as string, networks: index.pluggedNetworks(h.id) }));
  return [...pluggedHere]
    .map((id) => index.network(id))
    .sort((a, b) => a.vni - b.vni)
    .map((network) => {
      const remote = pluggedElsewhere.filter((h) => h.networks.has(network.id)).map((h) => h.vtepIp);
      const floodVteps = [...new Set([...remote, ...network.staticVteps])].filter((v) => v !== host.vtepIp).sort();
      return {
        networkId: network.id,
        vni: network.vni,
        mtu: network.mtu,
        bridge: bridgeName(network.vni),
        vxlanDevice: vxlanDeviceName(network.vni),
        floodVteps,
        fdb: compileFdb(index, network, host),
      };
    });
}

/** l2population: each remote port's MAC at its ACTIVE host's VTEP; nothing for INACTIVE bindings or DVR gateway MACs. */
function compileFdb(index: ModelIndex, network: ModelNetwork, host: ModelHost): FdbEntry[] {
  const entries: FdbEntry[] = [];
  for (const port of index.portsByNetwork.get(network.id) ?? []) {
    const at = index.activeHost(port);
    if (at === null || at === host.id) continue;
    const vtepIp = index.hosts.get(at)?.vtepIp;
    if (vtepIp) entries.push({ mac: port.mac, vtepIp });
  }
  return entries.sort(byString((e) => e.mac));
}

function compileRouter(index: ModelIndex, router: ModelRouter, host: ModelHost): RouterPlacement {
  const interfaces = index
    .interfaces(router)
    .map((port) => compileInterface(index, port))
    .sort(byString((i) => i.subnetId));
  const deviceBySubnet = new Map(interfaces.map((i) => [i.subnetId, i.device]));
  const arp: StaticArp[] = router.distributed
    ? interfaces
        .flatMap((i) => (index.portsBySubnet.get(i.subnetId) ?? []).filter((p) => p.deviceOwner === 'compute'))
        .map((p) => ({ ip: p.fixedIp, mac: p.mac, device: deviceBySubnet.get(p.subnetId) as string }))
        .sort((a, b) => ipToNumber(a.ip) - ipToNumber(b.ip))
    : [];
  return {
    routerId: router.id,
    namespace: routerNamespace(router.id),
    distributed: router.distributed,
    interfaces,
    arp,
    floatingIps: compileFloatingIps(index, router, host),
    dvrHostMac: router.distributed ? dvrHostMac(host.id) : null,
    externalGateway: router.distributed ? null : compileExternalGateway(index, router),
  };
}

function compileInterface(index: ModelIndex, port: ModelPort): RouterInterfacePlug {
  const subnet = index.subnet(port.subnetId);
  const network = index.network(port.networkId);
  return {
    subnetId: subnet.id,
    device: routerInterfaceDevice(port.id),
    peerDevice: routerInterfacePeer(port.id),
    bridge: bridgeName(network.vni),
    vxlanDevice: vxlanDeviceName(network.vni),
    gatewayIp: port.fixedIp,
    prefixLength: prefixLength(subnet),
    gatewayMac: port.mac,
  };
}

/** DVR: the FIPs whose port is ACTIVE here (they follow the guest at switchover); legacy: all of the router's. */
function compileFloatingIps(index: ModelIndex, router: ModelRouter, host: ModelHost): FloatingIpPlug[] {
  return index.model.floatingIps
    .filter((f): f is ModelFloatingIp & { portId: string } => f.routerId === router.id && f.portId !== null)
    .flatMap((f) => {
      const port = index.ports.get(f.portId);
      if (!port) return [];
      if (router.distributed && index.activeHost(port) !== host.id) return [];
      return [{ floatingIp: f.address, fixedIp: port.fixedIp }];
    })
    .sort((a, b) => ipToNumber(a.floatingIp) - ipToNumber(b.floatingIp));
}

function compileExternalGateway(index: ModelIndex, router: ModelRouter): ExternalGatewayPlug | null {
  if (!router.externalNetworkId) return null;
  const port = index.model.ports.find((p) => p.deviceOwner === 'router_gateway' && p.deviceId === router.id);
  if (!port) return null;
  const subnet = index.subnet(port.subnetId);
  return { device: externalGatewayDevice(port.id), address: port.fixedIp, prefixLength: prefixLength(subnet), gatewayIp: subnet.gatewayIp };
}

function compileFipNamespace(index: ModelIndex, need: FipNeed, host: ModelHost): FipNamespacePlug {
  const gateway = index.model.ports.find(
    (p) => p.deviceOwner === 'floatingip_agent_gateway' && p.networkId === need.networkId && p.deviceId === host.id,
  );
  if (!gateway) throw new MissingFipGatewayError(host.id, need.networkId);
  const subnet = index.subnet(gateway.subnetId);
  return {
    namespace: fipNamespace(need.networkId),
    externalNetworkId: need.networkId,
    gatewayDevice: fipGatewayDevice(gateway.id),
    gatewayAddress: gateway.fixedIp,
    prefixLength: prefixLength(subnet),
    externalGatewayIp: subnet.gatewayIp,
    routers: need.routers.map((r, i) => fipRouterLink(r.id, i)),
  };
}

/** The i-th router (by id) on this host's fip namespace gets the i-th /31 of 169.254.106.0/23 and table 16 + i. */
export function fipRouterLink(routerId: string, i: number): FipRouterLink {
  if (i >= FIP_LINK_RANGE.pairs) throw new RangeError(`more than ${FIP_LINK_RANGE.pairs} DVR routers share one fip namespace`);
  const base = ipToNumber(FIP_LINK_RANGE.first) + 2 * i;
  return {
    routerId,
    routerNamespace: routerNamespace(routerId),
    rfpDevice: rfpDevice(routerId),
    fprDevice: fprDevice(routerId),
    rfpIp: numberToIp(base),
    fprIp: numberToIp(base + 1),
    table: FIP_RULE_TABLE_BASE + i,
  };
}
