import { describe, expect, it } from 'vitest';
import { changedPeers, describeClassChanges, moveClassChanges, movedModel, peerPaths } from '../../../src/network/core/peer-paths';
import { A, B, C, P, pathsModel } from './paths-fixture';

const label = (p: ReturnType<typeof peerPaths>[number]) => (p.peer.kind === 'external' ? 'external' : p.peer.instanceId);

describe('peerPaths', () => {
  it('lists every reachable peer and the external network with the class now, without a destination', () => {
    const paths = peerPaths(pathsModel('dvr', { snatHostId: C }), 'instance-3');
    expect(paths.map((p) => [label(p), p.now.reachable ? p.now.class : 'unreachable'])).toEqual([
      ['instance-1', 'intra-node-inter-subnet'],
      ['instance-2', 'intra-node-inter-subnet'],
      ['instance-4', 'inter-node-inter-subnet'],
      ['instance-5', 'inter-node-intra-subnet'],
      ['external', 'north-south-snat'],
    ]);
    expect(paths.every((p) => p.after === null && !p.classChanged && !p.pathChanged)).toBe(true);
    expect(paths[0].peer).toEqual({ kind: 'port', portId: P.p1, instanceId: 'instance-1', fixedIp: '10.0.1.11', host: 'compute-a' });
  });

  it('a move from A to B under DVR: the A peers become inter-node, the B peers intra-node', () => {
    const paths = peerPaths(pathsModel('dvr', { snatHostId: C }), 'instance-3', B);
    expect(changedPeers(paths).map((c) => [c.peer.kind === 'port' ? c.peer.instanceId : 'external', c.from, c.to])).toEqual([
      ['instance-1', 'intra-node-inter-subnet', 'inter-node-inter-subnet'],
      ['instance-2', 'intra-node-inter-subnet', 'inter-node-inter-subnet'],
      ['instance-4', 'inter-node-inter-subnet', 'intra-node-inter-subnet'],
      ['instance-5', 'inter-node-intra-subnet', 'intra-node-intra-subnet'],
    ]);
    const ext = paths.find((p) => p.peer.kind === 'external');
    // Same class, but now routed on B before the SNAT host.
    expect(ext).toMatchObject({ classChanged: false, pathChanged: true, after: { routedOn: ['compute-b', 'network-c'] } });
  });

  it('a move to the host it is on changes nothing', () => {
    const paths = peerPaths(pathsModel('legacy'), 'instance-1', A);
    expect(paths.length).toBeGreaterThan(0);
    expect(changedPeers(paths)).toEqual([]);
    expect(paths.some((p) => p.pathChanged)).toBe(false);
  });

  it('drops a peer unreachable both before and after the move', () => {
    // DVR without a SNAT host: instance-3 has no north-south path before or after.
    const paths = peerPaths(pathsModel('dvr'), 'instance-3', B);
    expect(paths.some((p) => p.peer.kind === 'external')).toBe(false);
  });

  it('movedModel binds only the instance’s compute ports, ACTIVE on the destination alone', () => {
    const moved = movedModel(pathsModel('dvr'), 'instance-1', B);
    expect(moved.ports.find((p) => p.id === P.p1)?.bindings).toEqual([{ hostId: B, status: 'ACTIVE' }]);
    expect(moved.ports.find((p) => p.id === P.p2)?.bindings).toEqual([{ hostId: A, status: 'ACTIVE' }]);
  });
});

describe('moveClassChanges and describeClassChanges', () => {
  it('give the same changes before and after the move happened (the report computes them afterwards)', () => {
    const before = pathsModel('dvr', { snatHostId: C });
    const after = movedModel(before, 'instance-3', B);
    const expected = changedPeers(peerPaths(before, 'instance-3', B));
    expect(expected).toHaveLength(4);
    expect(moveClassChanges(before, 'instance-3', A, B)).toEqual(expected);
    expect(moveClassChanges(after, 'instance-3', A, B)).toEqual(expected);
  });

  it('describe the changes in one line', () => {
    const changes = moveClassChanges(pathsModel('legacy'), 'instance-1', A, B);
    expect(describeClassChanges(changes)).toBe(
      '4 peer(s) change class: instance-2 intra-node-intra-subnet → inter-node-intra-subnet, ' +
        'instance-3 intra-node-inter-subnet → inter-node-inter-subnet, instance-4 inter-node-intra-subnet → intra-node-intra-subnet, ' +
        'instance-5 inter-node-inter-subnet → intra-node-inter-subnet',
    );
    expect(describeClassChanges([])).toBe('no peer changes path class');
  });
});
