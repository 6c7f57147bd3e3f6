import { EXTERNAL, EXTERNAL_CIDR, FLOATING_IP_RANGE, PROBER, TENANT2, TENANT_CIDR, TENANT_GATEWAY_IP, TENANT_VNI } from '../topology';
import type { ControllerApi } from './controller-api';

// The lab's tenant networks as a Neutron-style model in the controller: two
// tenant networks on one distributed router with a gateway on the external
// network. The controller compiles it per host and the host agents apply it.

export interface LabNetwork {
  networkId: string;
  subnetId: string;
  network2Id: string;
  subnet2Id: string;
  externalNetworkId: string;
  routerId: string;
}

interface Created {
  id: string;
}

/** The external network needs a VNI in the model; nothing carries it over VXLAN. */
const EXTERNAL_VNI = 4000;
/** Guests' and endpoints' addresses come from the tests; the pools only serve what is left. */
const POOL_1 = { start: '203.0.113.100', end: '203.0.113.126' };
const POOL_2 = { start: '203.0.113.200', end: '203.0.113.254' };

export async function registerLabNetwork(
  api: ControllerApi,
  opts: { distributed?: boolean; legacyHostId?: string } = {},
): Promise<LabNetwork> {
  // The prober takes part in the first network with its own VTEP, outside livemig's hosts.
  const net1 = await api.ok<Created>('POST', '/networks', { name: 'tenant-1', vni: TENANT_VNI, staticVteps: [PROBER.vtepIp] });
  const sub1 = await api.ok<Created>('POST', '/subnets', {
    networkId: net1.id,
    cidr: TENANT_CIDR,
    gatewayIp: TENANT_GATEWAY_IP,
    allocationPool: POOL_1,
  });
  const net2 = await api.ok<Created>('POST', '/networks', { name: 'tenant-2', vni: TENANT2.vni });
  const sub2 = await api.ok<Created>('POST', '/subnets', {
    networkId: net2.id,
    cidr: TENANT2.cidr,
    gatewayIp: TENANT2.gatewayIp,
    allocationPool: POOL_2,
  });
  const ext = await api.ok<Created>('POST', '/networks', { name: 'external', vni: EXTERNAL_VNI, external: true });
  await api.ok('POST', '/subnets', {
    networkId: ext.id,
    cidr: EXTERNAL_CIDR,
    gatewayIp: EXTERNAL.ip,
    allocationPool: { start: FLOATING_IP_RANGE.first, end: FLOATING_IP_RANGE.last },
  });
  const router = await api.ok<Created>('POST', '/routers', {
    name: 'router-1',
    distributed: opts.distributed ?? true,
    ...(opts.legacyHostId ? { legacyHostId: opts.legacyHostId } : {}),
    externalNetworkId: ext.id,
  });
  await api.ok('POST', `/routers/${router.id}/interfaces`, { subnetId: sub1.id });
  await api.ok('POST', `/routers/${router.id}/interfaces`, { subnetId: sub2.id });
  return { networkId: net1.id, subnetId: sub1.id, network2Id: net2.id, subnet2Id: sub2.id, externalNetworkId: ext.id, routerId: router.id };
}

export interface LabPort {
  id: string;
  mac: string;
  fixedIp: string;
}

/** A compute port with the guest's (or endpoint's) own MAC and IP, ACTIVE on its host. */
export async function createLabPort(
  api: ControllerApi,
  opts: { subnetId: string; mac: string; fixedIp: string; hostId: string; deviceId: string },
): Promise<LabPort> {
  return api.ok<LabPort>('POST', '/ports', {
    subnetId: opts.subnetId,
    mac: opts.mac,
    fixedIp: opts.fixedIp,
    deviceOwner: 'compute',
    deviceId: opts.deviceId,
    host: opts.hostId,
  });
}

export async function createFloatingIp(
  api: ControllerApi,
  externalNetworkId: string,
  portId: string,
): Promise<{ id: string; address: string }> {
  return api.ok<{ id: string; address: string }>('POST', '/floating-ips', { networkId: externalNetworkId, portId });
}
