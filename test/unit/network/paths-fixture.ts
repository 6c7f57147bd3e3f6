// Two tenant subnets on two networks, one router (DVR or legacy on the network node C) with a gateway on an
// external network. On compute A: p1 (S1, floating IP), p2 (S1), p3 (S2); on compute B: p4 (S1), p5 (S2).
import type { ModelPort, ModelRouter, NetworkModel } from '../../../src/network/core/network-model';

export const A = 'aaaaaaaa-0000-4000-8000-000000000001';
export const B = 'bbbbbbbb-0000-4000-8000-000000000002';
export const C = 'cccccccc-0000-4000-8000-000000000003';
export const N1 = '11111111-0000-4000-8000-000000000001';
export const N2 = '11111111-0000-4000-8000-000000000002';
export const EXT = '22222222-0000-4000-8000-000000000002';
export const S1 = '33333333-0000-4000-8000-000000000001';
export const S2 = '33333333-0000-4000-8000-000000000002';
export const EXT_SUB = '44444444-0000-4000-8000-000000000002';
export const ROUTER = '55555555-0000-4000-8000-000000000001';
export const P = {
  p1: '66666666-0000-4000-8000-000000000001',
  p2: '66666666-0000-4000-8000-000000000002',
  p3: '66666666-0000-4000-8000-000000000003',
  p4: '66666666-0000-4000-8000-000000000004',
  p5: '66666666-0000-4000-8000-000000000005',
} as const;
export const QR1 = '77777777-0000-4000-8000-000000000001';
export const QR2 = '77777777-0000-4000-8000-000000000002';
export const GW = '77777777-0000-4000-8000-000000000003';
export const FG_A = '88888888-0000-4000-8000-00000000000a';

const compute = (id: string, n: 1 | 2, ip: string, hostId: string): ModelPort => ({
  id,
  networkId: n === 1 ? N1 : N2,
  subnetId: n === 1 ? S1 : S2,
  mac: `fa:16:3e:00:00:${id.slice(-2)}`,
  fixedIp: ip,
  deviceOwner: 'compute',
  deviceId: `instance-${id.slice(-1)}`,
  bindings: [{ hostId, status: 'ACTIVE' }],
});

export type Mode = 'dvr' | 'legacy';

export function pathsModel(mode: Mode, extra: Partial<ModelRouter> = {}): NetworkModel {
  const router: ModelRouter =
    mode === 'dvr'
      ? { id: ROUTER, distributed: true, legacyHostId: null, externalNetworkId: EXT, ...extra }
      : { id: ROUTER, distributed: false, legacyHostId: C, externalNetworkId: EXT, ...extra };
  return {
    revision: 3,
    hosts: [
      { id: A, name: 'compute-a', vtepIp: '198.51.100.1' },
      { id: B, name: 'compute-b', vtepIp: '198.51.100.2' },
      { id: C, name: 'network-c', vtepIp: '198.51.100.3' },
    ],
    networks: [
      { id: N1, vni: 1001, mtu: 1450, external: false, staticVteps: [] },
      { id: N2, vni: 1002, mtu: 1450, external: false, staticVteps: [] },
      { id: EXT, vni: 2000, mtu: 1500, external: true, staticVteps: [] },
    ],
    subnets: [
      { id: S1, networkId: N1, cidr: '10.0.1.0/24', gatewayIp: '10.0.1.1' },
      { id: S2, networkId: N2, cidr: '10.0.2.0/24', gatewayIp: '10.0.2.1' },
      { id: EXT_SUB, networkId: EXT, cidr: '203.0.113.0/24', gatewayIp: '203.0.113.1' },
    ],
    ports: [
      compute(P.p1, 1, '10.0.1.11', A),
      compute(P.p2, 1, '10.0.1.12', A),
      compute(P.p3, 2, '10.0.2.13', A),
      compute(P.p4, 1, '10.0.1.14', B),
      compute(P.p5, 2, '10.0.2.15', B),
      {
        id: QR1,
        networkId: N1,
        subnetId: S1,
        mac: 'fa:16:3e:00:01:01',
        fixedIp: '10.0.1.1',
        deviceOwner: 'router_interface',
        deviceId: ROUTER,
        bindings: [],
      },
      {
        id: QR2,
        networkId: N2,
        subnetId: S2,
        mac: 'fa:16:3e:00:01:02',
        fixedIp: '10.0.2.1',
        deviceOwner: 'router_interface',
        deviceId: ROUTER,
        bindings: [],
      },
      {
        id: GW,
        networkId: EXT,
        subnetId: EXT_SUB,
        mac: 'fa:16:3e:00:01:03',
        fixedIp: '203.0.113.3',
        deviceOwner: 'router_gateway',
        deviceId: ROUTER,
        bindings: [],
      },
      {
        id: FG_A,
        networkId: EXT,
        subnetId: EXT_SUB,
        mac: 'fa:16:3e:00:01:0a',
        fixedIp: '203.0.113.10',
        deviceOwner: 'floatingip_agent_gateway',
        deviceId: A,
        bindings: [{ hostId: A, status: 'ACTIVE' }],
      },
    ],
    routers: [router],
    floatingIps: [{ id: 'fip-1', networkId: EXT, address: '203.0.113.50', portId: P.p1, routerId: ROUTER }],
  };
}
