import type { DrainMoveOutcome } from '../drain/drain-move.entity';
import type { MigrationState } from '../migration-phase';

export interface ClusterRows {
  activeMigrations: { id: string; state: MigrationState; sourceHostId: string; destinationHostId: string }[];
  hosts: { id: string; name: string; agentEndpoint: string | null; agentState: 'up' | 'down' | null; agentLastSeenAt: Date | null }[];
  drains: { id: string; hostId: string; outcomes: DrainMoveOutcome[] }[];
  rebalanceRuns: { id: string; policyId: string; plannedMoves: number; doneMoves: number }[];
}

export interface ClusterLimits {
  perCluster: number;
  perOutboundHost: number;
  perInboundHost: number;
}

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** Every cluster-wide gauge's samples, named by metric. */
export interface ClusterSamples {
  queueDepth: Sample[];
  running: Sample[];
  runningLimit: Sample[];
  drainMoves: Sample[];
  drainProgressRatio: Sample[];
  rebalanceProgressRatio: Sample[];
  agentUp: Sample[];
  agentHeartbeatAgeSec: Sample[];
}

const UNFINISHED_MOVES: readonly DrainMoveOutcome[] = ['pending', 'running'];

/** Pure: the database's rows as gauge samples. Hosts are named, so a dashboard never shows an id. */
export function clusterSamples(rows: ClusterRows, limits: ClusterLimits, now: Date): ClusterSamples {
  const hostName = new Map(rows.hosts.map((h) => [h.id, h.name]));
  const nameOf = (id: string) => hostName.get(id) ?? id;
  const running = rows.activeMigrations.filter((m) => m.state !== 'queued');
  const counts = new Map<string, Sample>();
  const bump = (direction: 'outbound' | 'inbound', hostId: string) => {
    const key = `${direction}/${hostId}`;
    const sample = counts.get(key) ?? { labels: { direction, host: nameOf(hostId) }, value: 0 };
    sample.value += 1;
    counts.set(key, sample);
  };
  for (const m of running) {
    bump('outbound', m.sourceHostId);
    bump('inbound', m.destinationHostId);
  }
  const drainMoves: Sample[] = [];
  const drainProgressRatio: Sample[] = [];
  for (const d of rows.drains) {
    const byOutcome = new Map<string, number>();
    for (const o of d.outcomes) byOutcome.set(o, (byOutcome.get(o) ?? 0) + 1);
    for (const [outcome, n] of byOutcome) drainMoves.push({ labels: { drain_id: d.id, host: nameOf(d.hostId), outcome }, value: n });
    const done = d.outcomes.filter((o) => !UNFINISHED_MOVES.includes(o)).length;
    drainProgressRatio.push({
      labels: { drain_id: d.id, host: nameOf(d.hostId) },
      value: d.outcomes.length ? done / d.outcomes.length : 0,
    });
  }
  const withAgent = rows.hosts.filter((h) => h.agentEndpoint !== null);
  return {
    queueDepth: [{ labels: {}, value: rows.activeMigrations.length - running.length }],
    running: [{ labels: { direction: 'cluster', host: '' }, value: running.length }, ...counts.values()],
    runningLimit: [
      { labels: { scope: 'cluster' }, value: limits.perCluster },
      { labels: { scope: 'outbound_per_host' }, value: limits.perOutboundHost },
      { labels: { scope: 'inbound_per_host' }, value: limits.perInboundHost },
    ],
    drainMoves,
    drainProgressRatio,
    rebalanceProgressRatio: rows.rebalanceRuns.map((r) => ({
      labels: { run_id: r.id, policy_id: r.policyId },
      value: r.plannedMoves ? Math.min(1, r.doneMoves / r.plannedMoves) : 0,
    })),
    agentUp: withAgent.map((h) => ({ labels: { host: h.name }, value: h.agentState === 'up' ? 1 : 0 })),
    agentHeartbeatAgeSec: withAgent
      .filter((h) => h.agentLastSeenAt !== null)
      .map((h) => ({ labels: { host: h.name }, value: Math.max(0, (now.getTime() - h.agentLastSeenAt!.getTime()) / 1000) })),
  };
}
