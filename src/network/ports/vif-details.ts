import { bridgeName } from '../core/device-names';

/** What the hypervisor plugs on the bound host: the guest's tap on the network's Linux bridge (Neutron's vif_type "bridge"). */
export function vifDetails(vni: number, portId: string): Record<string, unknown> {
  return { vifType: 'bridge', bridge: bridgeName(vni), tap: `tap${portId.replace(/-/g, '').slice(0, 11)}` };
}
