import { describe, expect, it } from 'vitest';
import { compileHostState } from '../../../src/network/core/compile-host-state';
import { fipGatewaysNeeded, fipRouterLink, MissingFipGatewayError } from '../../../src/network/core/fip-namespaces';
import type { HostNetworkState } from '../../../src/agents/protocol';
import { dvrHostMac } from '../../../src/network/core/mac';
import type { NetworkModel } from '../../../src/network/core/network-model';
import { A, B, C, NET, EXT, SUB, EXT_SUB, ROUTER, VM1, VM2, FG_B, VTEP, port, baseModel, withBindings } from './model-fixture';

const net = (state: HostNetworkState, vni = 1001) => state.networks.find((n) => n.vni === vni);
const vtepOf = (state: HostNetworkState, mac: string) => net(state)?.fdb.find((e) => e.mac === mac)?.vtepIp;

describe('compileHostState', () => {
  const before = baseModel();
  const prePlugged = withBindings(before, VM1, [
    { hostId: A, status: 'ACTIVE' },
    { hostId: B, status: 'INACTIVE' },
  ]);
  const switched = withBindings(before, VM1, [
    { hostId: A, status: 'INACTIVE' },
    { hostId: B, status: 'ACTIVE' },
  ]);
  const committed = withBindings(before, VM1, [{ hostId: B, status: 'ACTIVE' }]);

  it('before a migration: the network, the DVR router and the FIP live where the ports are', () => {
    const a = compileHostState(before, A);
    expect(a).toMatchObject({ host: 'compute-a', revision: 7, localVtepIp: VTEP[A] });
    expect(net(a)).toEqual({
      networkId: NET,
      vni: 1001,
      mtu: 1450,
      bridge: 'brq1001',
      vxlanDevice: 'vxlan-1001',
      floodVteps: ['192.0.2.200', VTEP[C]],
      fdb: [{ mac: 'fa:16:3e:00:00:02', vtepIp: VTEP[C] }],
    });
    expect(a.routers).toHaveLength(1);
    const router = a.routers[0];
    expect(router).toMatchObject({
      routerId: ROUTER,
      namespace: `qrouter-${ROUTER}`,
      distributed: true,
      dvrHostMac: dvrHostMac(A),
      externalGateway: null,
    });
    expect(router.interfaces).toEqual([
      {
        subnetId: SUB,
        device: 'qr-77777777000',
        peerDevice: 'tap77777777000',
        bridge: 'brq1001',
        vxlanDevice: 'vxlan-1001',
        gatewayIp: '10.0.0.1',
        prefixLength: 24,
        gatewayMac: 'fa:16:3e:00:00:0a',
      },
    ]);
    expect(router.arp).toEqual([
      { ip: '10.0.0.11', mac: 'fa:16:3e:00:00:01', device: 'qr-77777777000' },
      { ip: '10.0.0.12', mac: 'fa:16:3e:00:00:02', device: 'qr-77777777000' },
    ]);
    expect(router.floatingIps).toEqual([{ floatingIp: '203.0.113.50', fixedIp: '10.0.0.11' }]);
    expect(a.fipNamespaces).toEqual([
      {
        namespace: `fip-${EXT}`,
        externalNetworkId: EXT,
        gatewayDevice: 'fg-88888888000',
        gatewayAddress: '203.0.113.10',
        prefixLength: 24,
        externalGatewayIp: '203.0.113.1',
        routers: [
          {
            routerId: ROUTER,
            routerNamespace: `qrouter-${ROUTER}`,
            rfpDevice: 'rfp-55555555000',
            fprDevice: 'fpr-55555555000',
            rfpIp: '169.254.106.0',
            fprIp: '169.254.106.1',
            table: 16,
          },
        ],
      },
    ]);

    const b = compileHostState(before, B);
    expect(b).toEqual({ host: 'compute-b', revision: 7, localVtepIp: VTEP[B], networks: [], routers: [], fipNamespaces: [] });

    const c = compileHostState(before, C);
    expect(net(c)?.fdb).toEqual([{ mac: 'fa:16:3e:00:00:01', vtepIp: VTEP[A] }]);
    expect(c.routers[0]?.floatingIps).toEqual([]);
    expect(c.routers[0]?.dvrHostMac).toBe(dvrHostMac(C));
    expect(c.fipNamespaces).toEqual([]);
  });

  it('never gives the DVR gateway MAC an FDB entry', () => {
    for (const host of [A, B, C]) {
      for (const model of [before, prePlugged, switched, committed]) {
        expect(net(compileHostState(model, host))?.fdb.map((e) => e.mac) ?? []).not.toContain('fa:16:3e:00:00:0a');
      }
    }
  });

  it('pre-plug (INACTIVE on B): B gets the bridge, the qrouter and the fip namespace, but no FDB moves and no FIP yet', () => {
    const b = compileHostState(prePlugged, B);
    expect(net(b)?.floodVteps).toEqual(['192.0.2.200', VTEP[A], VTEP[C]]);
    expect(net(b)?.fdb).toEqual([
      { mac: 'fa:16:3e:00:00:01', vtepIp: VTEP[A] },
      { mac: 'fa:16:3e:00:00:02', vtepIp: VTEP[C] },
    ]);
    expect(b.routers.map((r) => r.routerId)).toEqual([ROUTER]);
    expect(b.routers[0]?.floatingIps).toEqual([]);
    expect(b.fipNamespaces.map((f) => f.gatewayAddress)).toEqual(['203.0.113.11']);
    expect(vtepOf(compileHostState(prePlugged, C), 'fa:16:3e:00:00:01')).toBe(VTEP[A]);
    expect(net(compileHostState(prePlugged, A))?.floodVteps).toEqual(['192.0.2.200', VTEP[B], VTEP[C]]);
    expect(net(compileHostState(prePlugged, C))?.floodVteps).toEqual(['192.0.2.200', VTEP[A], VTEP[B]]);
    expect(compileHostState(prePlugged, A).routers[0]?.floatingIps).toHaveLength(1);
  });

  it('after activation on B: every host sends the port to B, and the FIP moves to B', () => {
    const [a, b, c] = [A, B, C].map((h) => compileHostState(switched, h)) as [HostNetworkState, HostNetworkState, HostNetworkState];
    expect(vtepOf(a, 'fa:16:3e:00:00:01')).toBe(VTEP[B]);
    expect(vtepOf(c, 'fa:16:3e:00:00:01')).toBe(VTEP[B]);
    expect(vtepOf(b, 'fa:16:3e:00:00:01')).toBeUndefined();
    expect(b.routers[0]?.floatingIps).toEqual([{ floatingIp: '203.0.113.50', fixedIp: '10.0.0.11' }]);
    expect(a.routers[0]?.floatingIps).toEqual([]);
    // A keeps its fip namespace while the INACTIVE binding stays (rollback must stay cheap).
    expect(a.fipNamespaces).toHaveLength(1);
  });

  it('after deleting A binding: A has nothing left, B and C keep the segment', () => {
    const a = compileHostState(committed, A);
    expect(a).toEqual({ host: 'compute-a', revision: 7, localVtepIp: VTEP[A], networks: [], routers: [], fipNamespaces: [] });
    expect(net(compileHostState(committed, B))?.floodVteps).toEqual(['192.0.2.200', VTEP[C]]);
    expect(net(compileHostState(committed, C))?.floodVteps).toEqual(['192.0.2.200', VTEP[B]]);
    expect(fipGatewaysNeeded(committed)).toEqual([{ hostId: B, networkId: EXT }]);
  });

  it('a rollback model compiles to exactly the state before', () => {
    const rolledBack = withBindings(switched, VM1, [{ hostId: A, status: 'ACTIVE' }]);
    for (const host of [A, B, C]) expect(compileHostState(rolledBack, host)).toEqual(compileHostState(before, host));
  });

  it('names the (host, external network) pairs that need a fip gateway and refuses to compile without one', () => {
    expect(fipGatewaysNeeded(prePlugged)).toEqual([
      { hostId: A, networkId: EXT },
      { hostId: B, networkId: EXT },
    ]);
    const noGateway = { ...prePlugged, ports: prePlugged.ports.filter((p) => p.id !== FG_B) };
    expect(() => compileHostState(noGateway, B)).toThrow(MissingFipGatewayError);
  });

  it('a legacy router lives only on its host, with every FIP, and its interface MAC is learnt at that host', () => {
    const legacy: NetworkModel = { ...before, routers: [{ id: ROUTER, distributed: false, legacyHostId: C, externalNetworkId: EXT }] };
    const a = compileHostState(legacy, A);
    expect(a.routers).toEqual([]);
    expect(a.fipNamespaces).toEqual([]);
    expect(vtepOf(a, 'fa:16:3e:00:00:0a')).toBe(VTEP[C]);
    const c = compileHostState(legacy, C);
    expect(c.routers).toHaveLength(1);
    expect(c.routers[0]).toMatchObject({
      distributed: false,
      dvrHostMac: null,
      arp: [],
      floatingIps: [{ floatingIp: '203.0.113.50', fixedIp: '10.0.0.11' }],
      externalGateway: { device: 'qg-77777777000', address: '203.0.113.3', prefixLength: 24, gatewayIp: '203.0.113.1' },
    });
    // The legacy host plugs the network for its interface even with no compute port there.
    const noVm2 = { ...legacy, ports: legacy.ports.filter((p) => p.id !== VM2) };
    expect(net(compileHostState(noVm2, C))?.fdb).toEqual([{ mac: 'fa:16:3e:00:00:01', vtepIp: VTEP[A] }]);
    expect(net(compileHostState(noVm2, A))?.floodVteps).toEqual(['192.0.2.200', VTEP[C]]);
    // B hosts nothing of it.
    expect(compileHostState(legacy, B).networks).toEqual([]);
  });

  it('floods only to hosts with the network plugged, plus the static VTEPs, never to itself', () => {
    const both = withBindings(before, VM2, [{ hostId: A, status: 'ACTIVE' }]);
    const a = compileHostState(both, A);
    expect(net(a)?.floodVteps).toEqual(['192.0.2.200']);
    expect(net(a)?.fdb).toEqual([]);
    const selfStatic = {
      ...both,
      networks: both.networks.map((n) => (n.id === NET ? { ...n, staticVteps: [VTEP[A], '192.0.2.200', '192.0.2.200'] } : n)),
    };
    expect(net(compileHostState(selfStatic, A))?.floodVteps).toEqual(['192.0.2.200']);
  });

  it('two DVR routers on one host share the fip namespace with their own /31 and table, by router id', () => {
    const NET2 = '11111111-0000-4000-8000-000000000003';
    const SUB2 = '33333333-0000-4000-8000-000000000003';
    const ROUTER0 = '05555555-0000-4000-8000-000000000000';
    const QR2 = '7a777777-0000-4000-8000-000000000003';
    const GW2 = '77777777-0000-4000-8000-000000000004';
    const VM3 = '66666666-0000-4000-8000-000000000003';
    const model: NetworkModel = {
      ...before,
      networks: [...before.networks, { id: NET2, vni: 1002, mtu: 1450, external: false, staticVteps: [] }],
      subnets: [...before.subnets, { id: SUB2, networkId: NET2, cidr: '10.2.0.0/24', gatewayIp: '10.2.0.1' }],
      routers: [...before.routers, { id: ROUTER0, distributed: true, legacyHostId: null, externalNetworkId: EXT }],
      ports: [
        ...before.ports,
        port(QR2, {
          networkId: NET2,
          subnetId: SUB2,
          mac: 'fa:16:3e:00:02:0a',
          fixedIp: '10.2.0.1',
          deviceOwner: 'router_interface',
          deviceId: ROUTER0,
        }),
        port(GW2, {
          networkId: EXT,
          subnetId: EXT_SUB,
          mac: 'fa:16:3e:00:02:0b',
          fixedIp: '203.0.113.4',
          deviceOwner: 'router_gateway',
          deviceId: ROUTER0,
        }),
        port(VM3, {
          networkId: NET2,
          subnetId: SUB2,
          mac: 'fa:16:3e:00:02:01',
          fixedIp: '10.2.0.5',
          deviceOwner: 'compute',
          bindings: [{ hostId: A, status: 'ACTIVE' }],
        }),
      ],
    };
    const a = compileHostState(model, A);
    expect(a.networks.map((n) => n.vni)).toEqual([1001, 1002]);
    expect(a.routers.map((r) => r.routerId)).toEqual([ROUTER0, ROUTER]);
    expect(a.routers[0]?.arp).toEqual([{ ip: '10.2.0.5', mac: 'fa:16:3e:00:02:01', device: 'qr-7a777777000' }]);
    expect(a.fipNamespaces).toHaveLength(1);
    expect(a.fipNamespaces[0]?.routers.map((l) => [l.routerId, l.rfpIp, l.fprIp, l.table])).toEqual([
      [ROUTER0, '169.254.106.0', '169.254.106.1', 16],
      [ROUTER, '169.254.106.2', '169.254.106.3', 17],
    ]);
    // C has no port of the second router's subnet: neither the router nor its network.
    const c = compileHostState(model, C);
    expect(c.routers.map((r) => r.routerId)).toEqual([ROUTER]);
    expect(c.networks.map((n) => n.vni)).toEqual([1001]);
  });

  it('a router with interfaces on two subnets plugs both networks wherever it is placed', () => {
    const NET2 = '11111111-0000-4000-8000-000000000003';
    const SUB2 = '33333333-0000-4000-8000-000000000003';
    const QR2 = '7a777777-0000-4000-8000-000000000003';
    const model: NetworkModel = {
      ...before,
      networks: [...before.networks, { id: NET2, vni: 1002, mtu: 1400, external: false, staticVteps: [] }],
      subnets: [...before.subnets, { id: SUB2, networkId: NET2, cidr: '10.2.0.0/24', gatewayIp: '10.2.0.1' }],
      ports: [
        ...before.ports,
        port(QR2, {
          networkId: NET2,
          subnetId: SUB2,
          mac: 'fa:16:3e:00:02:0a',
          fixedIp: '10.2.0.1',
          deviceOwner: 'router_interface',
          deviceId: ROUTER,
        }),
      ],
    };
    const c = compileHostState(model, C);
    expect(c.networks.map((n) => [n.vni, n.mtu, n.floodVteps, n.fdb])).toEqual([
      [1001, 1450, ['192.0.2.200', VTEP[A]], [{ mac: 'fa:16:3e:00:00:01', vtepIp: VTEP[A] }]],
      [1002, 1400, [VTEP[A]], []],
    ]);
    expect(c.routers[0]?.interfaces.map((i) => [i.device, i.bridge, i.gatewayIp, i.prefixLength])).toEqual([
      ['qr-77777777000', 'brq1001', '10.0.0.1', 24],
      ['qr-7a777777000', 'brq1002', '10.2.0.1', 24],
    ]);
  });

  it('gives each DVR router on a host its own /31 and table, by router id', () => {
    expect(fipRouterLink(ROUTER, 3)).toMatchObject({ rfpIp: '169.254.106.6', fprIp: '169.254.106.7', table: 19 });
    expect(fipRouterLink(ROUTER, 200)).toMatchObject({ rfpIp: '169.254.107.144', fprIp: '169.254.107.145', table: 216 });
    expect(() => fipRouterLink(ROUTER, 256)).toThrow(RangeError);
  });

  it('derives a stable DVR host MAC with the fa:16:3f base, different per host', () => {
    expect(dvrHostMac(A)).toMatch(/^fa:16:3f(:[0-9a-f]{2}){3}$/);
    expect(dvrHostMac(A)).toBe(dvrHostMac(A));
    expect(new Set([A, B, C].map(dvrHostMac)).size).toBe(3);
  });

  it('refuses a host without a VTEP', () => {
    const model = { ...before, hosts: before.hosts.map((h) => (h.id === B ? { ...h, vtepIp: null } : h)) };
    expect(() => compileHostState(model, B)).toThrow(/no VTEP/);
    expect(net(compileHostState(model, A))?.floodVteps).toEqual(['192.0.2.200', VTEP[C]]);
  });
});
