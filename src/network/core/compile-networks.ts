// The tenant networks plugged on a host: bridge, VXLAN device, flood list and l2population FDB. Pure.
import { bridgeName, vxlanDeviceName } from './device-names';
import type { FdbEntry, NetworkPlug } from '../../agents/protocol';
import { byString, type ModelIndex } from './model-index';
import type { ModelHost, ModelNetwork } from './network-model';

export function compileNetworks(index: ModelIndex, host: ModelHost): NetworkPlug[] {
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
