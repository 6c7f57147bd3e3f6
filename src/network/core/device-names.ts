// Neutron-style device and namespace names. Linux caps interface names at 15
// characters, so ids are cut to 11 hex digits as Neutron does.

const ID_CHARS = 11;

function shortId(id: string): string {
  const hex = id.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{11,}$/.test(hex)) throw new RangeError(`not a hex id: ${id}`);
  return hex.slice(0, ID_CHARS);
}

export const bridgeName = (vni: number): string => `brq${vni}`;
export const vxlanDeviceName = (vni: number): string => `vxlan-${vni}`;
export const routerNamespace = (routerId: string): string => `qrouter-${routerId}`;
export const fipNamespace = (externalNetworkId: string): string => `fip-${externalNetworkId}`;
export const routerInterfaceDevice = (portId: string): string => `qr-${shortId(portId)}`;
export const routerInterfacePeer = (portId: string): string => `tap${shortId(portId)}`;
export const fipGatewayDevice = (portId: string): string => `fg-${shortId(portId)}`;
export const externalGatewayDevice = (portId: string): string => `qg-${shortId(portId)}`;
export const rfpDevice = (routerId: string): string => `rfp-${shortId(routerId)}`;
export const fprDevice = (routerId: string): string => `fpr-${shortId(routerId)}`;
/** DVR centralised SNAT (Neutron's dvr_snat node): `snat-<router>` with one `sg-` leg per subnet. */
export const snatNamespace = (routerId: string): string => `snat-${routerId}`;
export const snatInterfaceDevice = (portId: string): string => `sg-${shortId(portId)}`;
