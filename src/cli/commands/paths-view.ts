// Text view of GET /paths for the CLI: one line per peer (class now → after, tunnel crossings, where it is
// routed), and the hop-by-hop path on request. Pure.
import type { PathHop, PathResult } from '../../network/core/path-class';
import type { InstancePaths } from '../../network/paths/paths.service';
import type { PeerRef } from '../../network/core/peer-paths';

const peerLabel = (p: PeerRef): string =>
  p.kind === 'external' ? 'external' : `${p.instanceId ?? p.portId} ${p.fixedIp}@${p.host ?? '?'}`;

function summary(p: PathResult): string {
  if (!p.reachable) return `unreachable (${p.reason})`;
  const routed = p.routedOn.length > 0 ? ` routed on ${p.routedOn.join('+')}` : '';
  const mode = p.mode ? ` ${p.mode}` : '';
  const nat = p.nat ? ` ${p.nat.kind} ${p.nat.address}` : '';
  return `${p.class}${mode}, ${p.tunnelCrossings} tunnel${p.tunnelCrossings === 1 ? '' : 's'}${routed}${nat}`;
}

export function hopLine(h: PathHop): string {
  const where = h.namespace === null ? h.host : `${h.host}/${h.namespace}`;
  return `${where}:${h.device}${h.tunnel ? ` ==vni ${h.tunnel.vni} ${h.tunnel.fromVtepIp} -> ${h.tunnel.toVtepIp}==>` : ''}`;
}

export function renderPaths(paths: InstancePaths, showHops = false): string {
  const lines = [
    `instance ${paths.instanceId}${paths.destination ? `, migrating to ${paths.destination.name}` : ''}: ${paths.peers.length} peer path(s)`,
  ];
  for (const p of paths.peers) {
    const after =
      p.after === null
        ? ''
        : p.classChanged
          ? `\n    after: ${summary(p.after)}  [class changes]`
          : p.pathChanged
            ? `\n    after: ${summary(p.after)}  [path changes]`
            : '  [unchanged]';
    lines.push(`  ${p.fixedIp} -> ${peerLabel(p.peer)}: ${summary(p.now)}${after}`);
    if (showHops && p.now.reachable) lines.push(`    now:   ${p.now.hops.map(hopLine).join(' > ')}`);
    if (showHops && p.after?.reachable && p.pathChanged) lines.push(`    after: ${p.after.hops.map(hopLine).join(' > ')}`);
  }
  if (paths.destination) lines.push(`${paths.changed.length} peer(s) change class`);
  return `${lines.join('\n')}\n`;
}
