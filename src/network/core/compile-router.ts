// One router placed on a host: its interfaces, static ARP, floating IPs and (legacy) external gateway. Pure.
import {
  bridgeName,
  externalGatewayDevice,
  routerInterfaceDevice,
  routerInterfacePeer,
  routerNamespace,
  vxlanDeviceName,
} from './device-names';
import type { ExternalGatewayPlug, FloatingIpPlug, RouterInterfacePlug, RouterPlacement, StaticArp } from '../../agents/protocol';
import { ipToNumber } from './ipv4';
import { dvrHostMac } from './mac';
import { byString, prefixLength, type ModelIndex } from './model-index';
import type { ModelFloatingIp, ModelHost, ModelPort, ModelRouter } from './network-model';

export function compileRouter(index: ModelIndex, router: ModelRouter, host: ModelHost): RouterPlacement {
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
