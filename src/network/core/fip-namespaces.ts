// Fip namespaces (Neutron DVR): which hosts need one per external network, and what it holds. Pure.
import { fipGatewayDevice, fipNamespace, fprDevice, rfpDevice, routerNamespace } from './device-names';
import type { FipNamespacePlug, FipRouterLink } from '../../agents/protocol';
import { ipToNumber, numberToIp } from './ipv4';
import { isOn, ModelIndex, prefixLength } from './model-index';
import type { ModelHost, ModelRouter, NetworkModel } from './network-model';

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

export interface FipNeed {
  networkId: string;
  /** The DVR routers on the host with their gateway on this network, by id. */
  routers: ModelRouter[];
}

/** External networks that need a fip namespace on the host: a DVR router there serves a FIP of a port there. */
export function fipNeeds(index: ModelIndex, hostId: string): FipNeed[] {
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

export function compileFipNamespace(index: ModelIndex, need: FipNeed, host: ModelHost): FipNamespacePlug {
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
