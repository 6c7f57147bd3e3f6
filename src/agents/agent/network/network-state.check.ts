import type { HostNetworkState } from '../../protocol';

// Cross-field rules the DTO decorators cannot express. Every name the agent
// will touch must carry a livemig prefix, so a desired state can never make
// the agent delete or rewire a device it does not own (eth0, a guest's vnet3).

const RESERVED_TABLES = new Set([0, 253, 254, 255]);

export function checkHostNetworkState(s: HostNetworkState): string[] {
  const errors: string[] = [];
  const need = (ok: boolean, message: string) => {
    if (!ok) errors.push(message);
  };
  const vnis = new Set<number>();
  s.networks.forEach((n, k) => {
    const at = `networks[${k}]`;
    need(!vnis.has(n.vni), `${at}.vni: ${n.vni} appears twice`);
    vnis.add(n.vni);
    need(n.bridge === `brq${n.vni}`, `${at}.bridge: "${n.bridge}" must be "brq${n.vni}"`);
    need(n.vxlanDevice === `vxlan-${n.vni}`, `${at}.vxlanDevice: "${n.vxlanDevice}" must be "vxlan-${n.vni}"`);
    need(!n.floodVteps.includes(s.localVtepIp), `${at}.floodVteps: must not hold this host's own VTEP ${s.localVtepIp}`);
  });
  const networkOf = new Map(s.networks.map((n) => [n.bridge, n]));
  const routerIds = new Set<string>();
  s.routers.forEach((r, k) => {
    const at = `routers[${k}]`;
    need(!routerIds.has(r.routerId), `${at}.routerId: "${r.routerId}" appears twice`);
    routerIds.add(r.routerId);
    need(r.namespace === `qrouter-${r.routerId}`, `${at}.namespace: "${r.namespace}" must be "qrouter-${r.routerId}"`);
    need(r.distributed === (r.dvrHostMac !== null), `${at}.dvrHostMac: distributed routers need one, legacy routers must have null`);
    need(r.distributed ? r.externalGateway === null : true, `${at}.externalGateway: distributed routers use the fip namespace, not qg`);
    if (r.externalGateway)
      need(r.externalGateway.device.startsWith('qg-'), `${at}.externalGateway.device: "${r.externalGateway.device}" must start with "qg-"`);
    const qrs = new Set<string>();
    r.interfaces.forEach((i, j) => {
      const ai = `${at}.interfaces[${j}]`;
      need(i.device.startsWith('qr-'), `${ai}.device: "${i.device}" must start with "qr-"`);
      need(i.peerDevice.startsWith('tap'), `${ai}.peerDevice: "${i.peerDevice}" must start with "tap"`);
      const network = networkOf.get(i.bridge);
      need(network !== undefined, `${ai}.bridge: "${i.bridge}" is not one of this state's networks`);
      need(
        network === undefined || network.vxlanDevice === i.vxlanDevice,
        `${ai}.vxlanDevice: "${i.vxlanDevice}" is not the VXLAN device of ${i.bridge}`,
      );
      need(i.prefixLength <= 30, `${ai}.prefixLength: ${i.prefixLength} leaves no room for ports`);
      qrs.add(i.device);
    });
    r.arp.forEach((a, j) => need(qrs.has(a.device), `${at}.arp[${j}].device: "${a.device}" is not one of the router's qr devices`));
    const fixed = new Set<string>();
    r.floatingIps.forEach((f, j) => {
      need(!fixed.has(f.fixedIp), `${at}.floatingIps[${j}].fixedIp: ${f.fixedIp} has two floating IPs`);
      fixed.add(f.fixedIp);
    });
    if (r.distributed && r.floatingIps.length > 0) {
      need(
        s.fipNamespaces.some((f) => f.routers.some((l) => l.routerId === r.routerId)),
        `${at}.floatingIps: router ${r.routerId} has floating IPs but no fip namespace links it`,
      );
    }
    if (!r.distributed && r.floatingIps.length > 0)
      need(r.externalGateway !== null, `${at}.floatingIps: a legacy router needs an externalGateway for floating IPs`);
  });
  const extnets = new Set<string>();
  s.fipNamespaces.forEach((f, k) => {
    const at = `fipNamespaces[${k}]`;
    need(!extnets.has(f.externalNetworkId), `${at}.externalNetworkId: "${f.externalNetworkId}" appears twice`);
    extnets.add(f.externalNetworkId);
    need(f.namespace === `fip-${f.externalNetworkId}`, `${at}.namespace: "${f.namespace}" must be "fip-${f.externalNetworkId}"`);
    need(f.gatewayDevice.startsWith('fg-'), `${at}.gatewayDevice: "${f.gatewayDevice}" must start with "fg-"`);
    f.routers.forEach((l, j) => {
      const al = `${at}.routers[${j}]`;
      const router = s.routers.find((r) => r.routerId === l.routerId);
      need(router?.distributed === true, `${al}.routerId: "${l.routerId}" is not a distributed router of this state`);
      need(
        router === undefined || router.namespace === l.routerNamespace,
        `${al}.routerNamespace: "${l.routerNamespace}" is not the router's namespace`,
      );
      need(l.rfpDevice.startsWith('rfp-'), `${al}.rfpDevice: "${l.rfpDevice}" must start with "rfp-"`);
      need(l.fprDevice.startsWith('fpr-'), `${al}.fprDevice: "${l.fprDevice}" must start with "fpr-"`);
      need(!RESERVED_TABLES.has(l.table), `${al}.table: ${l.table} is reserved (local, main, default)`);
      need(l.rfpIp !== l.fprIp, `${al}: rfpIp and fprIp must differ`);
    });
  });
  return errors;
}
