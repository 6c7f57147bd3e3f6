// An instance's peers and the path class to each, now and after a migration to a destination. Pure:
// the report and the pre-checks use `changedPeers` to list the peers whose class a move changes.
import { classifyPath } from './classify-path';
import { ModelIndex } from './model-index';
import type { NetworkModel } from './network-model';
import type { PathClass, PathPeer, PathResult } from './path-class';

export type PeerRef =
  { kind: 'port'; portId: string; instanceId: string | null; fixedIp: string; host: string | null } | { kind: 'external' };

export interface PeerPath {
  /** The instance's own port. */
  portId: string;
  fixedIp: string;
  peer: PeerRef;
  now: PathResult;
  /** null when no destination was asked about. */
  after: PathResult | null;
  classChanged: boolean;
  /** Any hop differs (a class can stay while the hosts on the path change). */
  pathChanged: boolean;
}

export interface ClassChange {
  portId: string;
  peer: PeerRef;
  from: PathClass | 'unreachable';
  to: PathClass | 'unreachable';
}

export const classOf = (p: PathResult): PathClass | 'unreachable' => (p.reachable ? p.class : 'unreachable');

/** The model as it is once the instance's ports are bound ACTIVE on the destination alone (after commitment). */
export function movedModel(model: NetworkModel, instanceId: string, destinationHostId: string): NetworkModel {
  return {
    ...model,
    ports: model.ports.map((p) =>
      p.deviceOwner === 'compute' && p.deviceId === instanceId ? { ...p, bindings: [{ hostId: destinationHostId, status: 'ACTIVE' }] } : p,
    ),
  };
}

export function peerPaths(model: NetworkModel, instanceId: string, destinationHostId?: string): PeerPath[] {
  const now = new ModelIndex(model);
  const after = destinationHostId === undefined ? null : new ModelIndex(movedModel(model, instanceId, destinationHostId));
  const own = [...now.ports.values()].filter((p) => p.deviceOwner === 'compute' && p.deviceId === instanceId);
  const others = [...now.ports.values()].filter((p) => p.deviceOwner === 'compute' && p.deviceId !== instanceId);
  const result: PeerPath[] = [];
  for (const port of own) {
    const peers: Array<{ ref: PeerRef; target: PathPeer }> = [
      ...others.map((o) => ({
        ref: {
          kind: 'port' as const,
          portId: o.id,
          instanceId: o.deviceId,
          fixedIp: o.fixedIp,
          host: hostName(now, now.activeHost(o)),
        },
        target: { kind: 'port' as const, portId: o.id },
      })),
      { ref: { kind: 'external' }, target: { kind: 'external' } },
    ];
    for (const { ref, target } of peers) {
      const before = classifyPath(now, port.id, target);
      const moved = after ? classifyPath(after, port.id, target) : null;
      if (!before.reachable && !moved?.reachable) continue;
      result.push({
        portId: port.id,
        fixedIp: port.fixedIp,
        peer: ref,
        now: before,
        after: moved,
        classChanged: moved !== null && classOf(before) !== classOf(moved),
        pathChanged: moved !== null && JSON.stringify(before) !== JSON.stringify(moved),
      });
    }
  }
  return result;
}

/** The peers whose class a migration changes, for the pre-check output and the report. */
export function changedPeers(paths: readonly PeerPath[]): ClassChange[] {
  return paths
    .filter((p) => p.classChanged && p.after !== null)
    .map((p) => ({ portId: p.portId, peer: p.peer, from: classOf(p.now), to: classOf(p.after as PathResult) }));
}

function hostName(index: ModelIndex, hostId: string | null): string | null {
  return hostId === null ? null : (index.hosts.get(hostId)?.name ?? null);
}

/**
 * The class changes of a move from source to destination, whatever the instance's bindings are now (before,
 * during or after the migration): the report can call it from the model after the fact.
 */
export function moveClassChanges(model: NetworkModel, instanceId: string, sourceHostId: string, destinationHostId: string): ClassChange[] {
  return changedPeers(peerPaths(movedModel(model, instanceId, sourceHostId), instanceId, destinationHostId));
}

/** One line for a pre-check's detail or a report: `2 peer(s) change class: vm-b intra-node-inter-subnet → inter-node-inter-subnet, …`. */
export function describeClassChanges(changes: readonly ClassChange[]): string {
  if (changes.length === 0) return 'no peer changes path class';
  const each = changes.map((c) => `${c.peer.kind === 'external' ? 'external' : (c.peer.instanceId ?? c.peer.portId)} ${c.from} → ${c.to}`);
  return `${changes.length} peer(s) change class: ${each.join(', ')}`;
}
