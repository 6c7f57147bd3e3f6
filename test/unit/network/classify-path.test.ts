import { describe, expect, it } from 'vitest';
import { classifyPath } from '../../../src/network/core/classify-path';
import { ModelIndex } from '../../../src/network/core/model-index';
import type { NetworkModel } from '../../../src/network/core/network-model';
import type { PathHop, PathPeer, PathResult, ReachablePath } from '../../../src/network/core/path-class';
import { C, P, ROUTER, pathsModel, type Mode } from './paths-fixture';

const toPort = (portId: string): PathPeer => ({ kind: 'port', portId });
const external: PathPeer = { kind: 'external' };

function reach(model: NetworkModel, from: string, peer: PathPeer): ReachablePath {
  const result: PathResult = classifyPath(new ModelIndex(model), from, peer);
  if (!result.reachable) throw new Error(`unreachable: ${result.reason}`);
  return result;
}
const brief = (hops: PathHop[]) => hops.map((h) => `${h.host}:${h.namespace === null ? '' : `${h.namespace.split('-')[0]}/`}${h.device}`);
const qrouter = `qrouter-${ROUTER}`;

describe('classifyPath: east-west classes', () => {
  it.each<Mode>(['dvr', 'legacy'])('intra-node intra-subnet (%s): tap, bridge, tap on one host; no router, no tunnel', (mode) => {
    const p = reach(pathsModel(mode), P.p1, toPort(P.p2));
    expect(p).toMatchObject({ class: 'intra-node-intra-subnet', mode: null, routerId: null, routedOn: [], tunnelCrossings: 0, nat: null });
    expect(brief(p.hops)).toEqual(['compute-a:tap66666666000', 'compute-a:brq1001', 'compute-a:tap66666666000']);
  });

  it.each<Mode>(['dvr', 'legacy'])('inter-node intra-subnet (%s): one VXLAN crossing, no router', (mode) => {
    const p = reach(pathsModel(mode), P.p1, toPort(P.p4));
    expect(p).toMatchObject({ class: 'inter-node-intra-subnet', mode: null, routedOn: [], tunnelCrossings: 1 });
    expect(p.hops.find((h) => h.tunnel)?.tunnel).toEqual({
      vni: 1001,
      fromVtepIp: '198.51.100.1',
      toVtepIp: '198.51.100.2',
      toHost: 'compute-b',
    });
    expect(brief(p.hops)).toEqual([
      'compute-a:tap66666666000',
      'compute-a:brq1001',
      'compute-a:vxlan-1001',
      'compute-b:vxlan-1001',
      'compute-b:brq1001',
      'compute-b:tap66666666000',
    ]);
  });

  it('intra-node inter-subnet, DVR: routed in the local qrouter, never touches the tunnel', () => {
    const p = reach(pathsModel('dvr'), P.p1, toPort(P.p3));
    expect(p).toMatchObject({
      class: 'intra-node-inter-subnet',
      mode: 'dvr',
      routerId: ROUTER,
      routedOn: ['compute-a'],
      tunnelCrossings: 0,
    });
    expect(brief(p.hops)).toEqual([
      'compute-a:tap66666666000',
      'compute-a:brq1001',
      'compute-a:qrouter/qr-77777777000',
      'compute-a:qrouter/qr-77777777000',
      'compute-a:brq1002',
      'compute-a:tap66666666000',
    ]);
    expect(p.hops[2]).toMatchObject({ namespace: qrouter, role: 'router-interface' });
  });

  it('intra-node inter-subnet, legacy: to the network node and back, two tunnel crossings', () => {
    const p = reach(pathsModel('legacy'), P.p1, toPort(P.p3));
    expect(p).toMatchObject({ class: 'intra-node-inter-subnet', mode: 'legacy', routedOn: ['network-c'], tunnelCrossings: 2 });
    expect(p.hops.filter((h) => h.tunnel).map((h) => [h.tunnel?.vni, h.host, h.tunnel?.toHost])).toEqual([
      [1001, 'compute-a', 'network-c'],
      [1002, 'network-c', 'compute-a'],
    ]);
    expect(p.hops.filter((h) => h.role === 'router-interface').every((h) => h.host === 'network-c')).toBe(true);
  });

  it('inter-node inter-subnet, DVR: routed on the source host, one crossing on the destination subnet', () => {
    const p = reach(pathsModel('dvr'), P.p1, toPort(P.p5));
    expect(p).toMatchObject({ class: 'inter-node-inter-subnet', mode: 'dvr', routedOn: ['compute-a'], tunnelCrossings: 1 });
    expect(p.hops.find((h) => h.tunnel)?.tunnel).toMatchObject({ vni: 1002, toHost: 'compute-b' });
    // The reply is routed on B: the path is one direction.
    expect(reach(pathsModel('dvr'), P.p5, toPort(P.p1)).routedOn).toEqual(['compute-b']);
  });

  it('inter-node inter-subnet, legacy: through the network node, two crossings', () => {
    const p = reach(pathsModel('legacy'), P.p1, toPort(P.p5));
    expect(p).toMatchObject({ class: 'inter-node-inter-subnet', mode: 'legacy', routedOn: ['network-c'], tunnelCrossings: 2 });
    expect(p.hops.filter((h) => h.tunnel).map((h) => `${h.host}>${h.tunnel?.toHost}`)).toEqual([
      'compute-a>network-c',
      'network-c>compute-b',
    ]);
  });

  it('a legacy router on the same host as both guests routes without a tunnel', () => {
    const p = reach(pathsModel('legacy', { legacyHostId: 'aaaaaaaa-0000-4000-8000-000000000001' }), P.p1, toPort(P.p3));
    expect(p).toMatchObject({ class: 'intra-node-inter-subnet', routedOn: ['compute-a'], tunnelCrossings: 0 });
  });
});

describe('classifyPath: north-south', () => {
  it('floating IP, DVR: DNAT in the local qrouter, out through rfp/fpr and the fip namespace on the same host', () => {
    const p = reach(pathsModel('dvr'), P.p1, external);
    expect(p).toMatchObject({
      class: 'north-south-floating-ip',
      mode: 'dvr',
      routedOn: ['compute-a'],
      tunnelCrossings: 0,
      nat: { kind: 'floating-ip', address: '203.0.113.50' },
    });
    expect(brief(p.hops).slice(2)).toEqual([
      'compute-a:qrouter/qr-77777777000',
      'compute-a:qrouter/rfp-55555555000',
      'compute-a:fip/fpr-55555555000',
      'compute-a:fip/fg-88888888000',
    ]);
  });

  it('floating IP, legacy: across the tunnel to the network node, out of its qg leg', () => {
    const p = reach(pathsModel('legacy'), P.p1, external);
    expect(p).toMatchObject({ class: 'north-south-floating-ip', mode: 'legacy', routedOn: ['network-c'], tunnelCrossings: 1 });
    expect(p.nat).toEqual({ kind: 'floating-ip', address: '203.0.113.50' });
    expect(brief(p.hops).at(-1)).toBe('network-c:qrouter/qg-77777777000');
  });

  it('SNAT, legacy: a guest without a floating IP leaves through the router gateway address', () => {
    const p = reach(pathsModel('legacy'), P.p3, external);
    expect(p).toMatchObject({
      class: 'north-south-snat',
      mode: 'legacy',
      routedOn: ['network-c'],
      tunnelCrossings: 1,
      nat: { kind: 'snat', address: '203.0.113.3' },
    });
  });

  it('SNAT, DVR: local qrouter, then the centralised SNAT namespace on the SNAT host', () => {
    const p = reach(pathsModel('dvr', { snatHostId: C }), P.p3, external);
    expect(p).toMatchObject({ class: 'north-south-snat', mode: 'dvr', routedOn: ['compute-a', 'network-c'], tunnelCrossings: 1 });
    expect(brief(p.hops).slice(-2)).toEqual(['network-c:snat/sg-77777777000', 'network-c:snat/qg-77777777000']);
    expect(p.nat).toEqual({ kind: 'snat', address: '203.0.113.3' });
  });

  it('SNAT, DVR without a SNAT host: no north-south path, and it says why', () => {
    expect(classifyPath(new ModelIndex(pathsModel('dvr')), P.p3, external)).toEqual({
      reachable: false,
      reason: `DVR router ${ROUTER} has no centralised SNAT host; the port needs a floating IP`,
    });
  });
});

describe('classifyPath: no path', () => {
  it('subnets no router joins', () => {
    const model = { ...pathsModel('dvr'), ports: pathsModel('dvr').ports.filter((p) => p.deviceOwner !== 'router_interface') };
    const result = classifyPath(new ModelIndex(model), P.p1, toPort(P.p3));
    expect(result.reachable).toBe(false);
    expect(result).toMatchObject({ reason: expect.stringContaining('no router joins') as unknown });
  });

  it('a port without an ACTIVE binding, and an unknown port', () => {
    const model = pathsModel('dvr');
    const unbound = { ...model, ports: model.ports.map((p) => (p.id === P.p4 ? { ...p, bindings: [] } : p)) };
    expect(classifyPath(new ModelIndex(unbound), P.p1, toPort(P.p4))).toEqual({
      reachable: false,
      reason: `port ${P.p4} has no ACTIVE binding`,
    });
    expect(classifyPath(new ModelIndex(model), 'nope', external)).toEqual({ reachable: false, reason: 'unknown port nope' });
  });

  it('no router with a gateway serves the subnet', () => {
    const model = pathsModel('legacy', { externalNetworkId: null });
    const noFip = { ...model, floatingIps: [] };
    expect(classifyPath(new ModelIndex(noFip), P.p3, external).reachable).toBe(false);
  });
});
