// Network model → one host's desired state (Neutron DVR with l2population). Pure:
// the same model and host always give the same state, in a stable order.
import { compileNetworks } from './compile-networks';
import { compileRouter } from './compile-router';
import { compileFipNamespace, fipNeeds } from './fip-namespaces';
import type { HostNetworkState } from '../../agents/protocol';
import { ModelIndex } from './model-index';
import type { NetworkModel } from './network-model';

export function compileHostState(model: NetworkModel, hostId: string): HostNetworkState {
  const index = new ModelIndex(model);
  const host = index.hosts.get(hostId);
  if (!host) throw new RangeError(`unknown host ${hostId}`);
  if (!host.vtepIp) throw new RangeError(`host ${host.name} has no VTEP address`);
  return {
    host: host.name,
    revision: model.revision,
    ...(model.generation ? { generation: model.generation } : {}),
    localVtepIp: host.vtepIp,
    networks: compileNetworks(index, host),
    routers: index.routersPlacedOn(host.id).map((r) => compileRouter(index, r, host)),
    fipNamespaces: fipNeeds(index, host.id).map((need) => compileFipNamespace(index, need, host)),
  };
}
