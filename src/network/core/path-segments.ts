// Hop builders the path classifier strings together. Pure.
import { bridgeName, vxlanDeviceName } from './device-names';
import type { ModelIndex } from './model-index';
import type { ModelHost, ModelNetwork } from './network-model';
import type { PathHop } from './path-class';

/** Nova and Neutron name a guest's tap `tap` + the port id's first 11 hex digits. */
export const guestTapDevice = (portId: string): string => `tap${portId.replace(/-/g, '').toLowerCase().slice(0, 11)}`;

export function hostOf(index: ModelIndex, hostId: string): ModelHost {
  const host = index.hosts.get(hostId);
  if (!host) throw new RangeError(`unknown host ${hostId}`);
  return host;
}

/** A frame on one network from host `from` to host `to`: the bridge, and the tunnel when the hosts differ. */
export function layer2(network: ModelNetwork, from: ModelHost, to: ModelHost): PathHop[] {
  const bridge = bridgeName(network.vni);
  const vxlan = vxlanDeviceName(network.vni);
  if (from.id === to.id) return [{ role: 'bridge', host: from.name, namespace: null, device: bridge }];
  return [
    { role: 'bridge', host: from.name, namespace: null, device: bridge },
    {
      role: 'vxlan',
      host: from.name,
      namespace: null,
      device: vxlan,
      tunnel: { vni: network.vni, fromVtepIp: from.vtepIp ?? 'none', toVtepIp: to.vtepIp ?? 'none', toHost: to.name },
    },
    { role: 'vxlan', host: to.name, namespace: null, device: vxlan },
    { role: 'bridge', host: to.name, namespace: null, device: bridge },
  ];
}

export const hop = (role: PathHop['role'], host: ModelHost, namespace: string | null, device: string): PathHop => ({
  role,
  host: host.name,
  namespace,
  device,
});
