// Lookups over the network model, built once per compile, and the small rules every part of the compile shares.
import { parseCidr } from './ipv4';
import type { ModelHost, ModelNetwork, ModelPort, ModelRouter, ModelSubnet, NetworkModel } from './network-model';

export const byString =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

export /** Lookups built once per compile. */
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
export function isOn(port: ModelPort, hostId: string): boolean {
  return port.bindings.some((b) => b.hostId === hostId);
}

export function prefixLength(subnet: ModelSubnet): number {
  return parseCidr(subnet.cidr).prefixLength;
}
