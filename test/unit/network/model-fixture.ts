// A DVR router on one tenant subnet with a gateway on an external network; vm1 (with a FIP) on A, vm2 on C.
import type { ModelPort, NetworkModel } from '../../../src/network/core/network-model';

export const A = 'aaaaaaaa-0000-4000-8000-000000000001';
export const B = 'bbbbbbbb-0000-4000-8000-000000000002';
export const C = 'cccccccc-0000-4000-8000-000000000003';
export const NET = '11111111-0000-4000-8000-000000000001';
export const EXT = '22222222-0000-4000-8000-000000000002';
export const SUB = '33333333-0000-4000-8000-000000000001';
export const EXT_SUB = '44444444-0000-4000-8000-000000000002';
export const ROUTER = '55555555-0000-4000-8000-000000000001';
export const VM1 = '66666666-0000-4000-8000-000000000001';
export const VM2 = '66666666-0000-4000-8000-000000000002';
export const QR = '77777777-0000-4000-8000-000000000001';
export const GW = '77777777-0000-4000-8000-000000000002';
export const FG_A = '88888888-0000-4000-8000-00000000000a';
export const FG_B = '88888888-0000-4000-8000-00000000000b';

export const VTEP = { [A]: '198.51.100.1', [B]: '198.51.100.2', [C]: '198.51.100.3' };

export function port(id: string, extra: Partial<ModelPort> & Pick<ModelPort, 'mac' | 'fixedIp' | 'deviceOwner'>): ModelPort {
  return { id, networkId: NET, subnetId: SUB, deviceId: null, bindings: [], ...extra };
}

export function baseModel(): NetworkModel {
  return {
    revision: 7,
    hosts: [
      { id: A, name: 'compute-a', vtepIp: VTEP[A] },
      { id: B, name: 'compute-b', vtepIp: VTEP[B] },
      { id: C, name: 'compute-c', vtepIp: VTEP[C] },
    ],
    networks: [
      { id: NET, vni: 1001, mtu: 1450, external: false, staticVteps: ['192.0.2.200'] },
      { id: EXT, vni: 2000, mtu: 1500, external: true, staticVteps: [] },
    ],
    subnets: [
      { id: SUB, networkId: NET, cidr: '10.0.0.0/24', gatewayIp: '10.0.0.1' },
      { id: EXT_SUB, networkId: EXT, cidr: '203.0.113.0/24', gatewayIp: '203.0.113.1' },
    ],
    ports: [
      port(VM1, {
        mac: 'fa:16:3e:00:00:01',
        fixedIp: '10.0.0.11',
        deviceOwner: 'compute',
        deviceId: 'instance-1',
        bindings: [{ hostId: A, status: 'ACTIVE' }],
      }),
      port(VM2, {
        mac: 'fa:16:3e:00:00:02',
        fixedIp: '10.0.0.12',
        deviceOwner: 'compute',
        deviceId: 'instance-2',
        bindings: [{ hostId: C, status: 'ACTIVE' }],
      }),
      port(QR, { mac: 'fa:16:3e:00:00:0a', fixedIp: '10.0.0.1', deviceOwner: 'router_interface', deviceId: ROUTER }),
      port(GW, {
        networkId: EXT,
        subnetId: EXT_SUB,
        mac: 'fa:16:3e:00:00:0b',
        fixedIp: '203.0.113.3',
        deviceOwner: 'router_gateway',
        deviceId: ROUTER,
      }),
      port(FG_A, {
        networkId: EXT,
        subnetId: EXT_SUB,
        mac: 'fa:16:3e:00:01:0a',
        fixedIp: '203.0.113.10',
        deviceOwner: 'floatingip_agent_gateway',
        deviceId: A,
        bindings: [{ hostId: A, status: 'ACTIVE' }],
      }),
      port(FG_B, {
        networkId: EXT,
        subnetId: EXT_SUB,
        mac: 'fa:16:3e:00:01:0b',
        fixedIp: '203.0.113.11',
        deviceOwner: 'floatingip_agent_gateway',
        deviceId: B,
        bindings: [{ hostId: B, status: 'ACTIVE' }],
      }),
    ],
    routers: [{ id: ROUTER, distributed: true, legacyHostId: null, externalNetworkId: EXT }],
    floatingIps: [{ id: 'fip-1', networkId: EXT, address: '203.0.113.50', portId: VM1, routerId: ROUTER }],
  };
}

export function withBindings(model: NetworkModel, portId: string, bindings: ModelPort['bindings']): NetworkModel {
  return { ...model, ports: model.ports.map((p) => (p.id === portId ? { ...p, bindings } : p)) };
}
