import { describe, expect, it } from 'vitest';
import { renderPaths } from '../../../src/cli/commands/paths-view';
import { changedPeers, peerPaths } from '../../../src/network/core/peer-paths';
import { B, pathsModel } from './paths-fixture';

describe('renderPaths (the CLI view)', () => {
  it('prints one line per peer with the class now, the change a move makes, and the hops on request', () => {
    const peers = peerPaths(pathsModel('legacy'), 'instance-3', B);
    const text = renderPaths(
      { instanceId: 'instance-3', destination: { id: B, name: 'compute-b' }, peers, changed: changedPeers(peers) },
      true,
    );
    expect(text).toContain('instance instance-3, migrating to compute-b: 5 peer path(s)');
    expect(text).toContain('10.0.2.13 -> instance-1 10.0.1.11@compute-a: intra-node-inter-subnet legacy, 2 tunnels routed on network-c');
    expect(text).toContain('after: inter-node-inter-subnet legacy, 2 tunnels routed on network-c  [class changes]');
    expect(text).toContain('10.0.2.13 -> external: north-south-snat legacy, 1 tunnel routed on network-c snat 203.0.113.3');
    expect(text).toContain('compute-a:vxlan-1002 ==vni 1002 198.51.100.1 -> 198.51.100.3==>');
    expect(text.trimEnd().split('\n').at(-1)).toBe('4 peer(s) change class');
  });

  it('without a destination shows the paths now only', () => {
    const peers = peerPaths(pathsModel('dvr'), 'instance-1');
    const text = renderPaths({ instanceId: 'instance-1', destination: null, peers, changed: [] });
    expect(text).not.toContain('after');
    expect(text).not.toContain('change class');
    expect(text).toContain('-> external: north-south-floating-ip dvr, 0 tunnels routed on compute-a floating-ip 203.0.113.50');
  });
});
