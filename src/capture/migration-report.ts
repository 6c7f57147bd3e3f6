import type { NorthSouthReport } from './north-south-report';
import type { AnalysisReport, ProbeReport, ProbeSeriesPoint, TcpEchoReport, TcpStreamReport, TimelineBucket } from '../analysis';

/** Network-observed figures of one migration, as stored in columns for aggregation. */
export interface NetworkFigures {
  netTotalMigrationTimeMs: number | null;
  netPayloadBytes: number | null;
  netThroughputMbps: number | null;
  netDowntimeMs: number | null;
  netDowntimeLossMs: number | null;
  netLossPct: number | null;
  netJitterMs: number | null;
  netRttAvgMs: number | null;
  netMaxReplyGapMs: number | null;
  netProbeIntervalMs: number | null;
  /** North-south (external network → floating IP); null without a FIP or an external prober. */
  northSouthDowntimeMs: number | null;
  northSouthLossPct: number | null;
  /** Switchover to the first floating-IP reply; see NorthSouthReport. */
  networkConvergenceMs: number | null;
}

export interface MigrationNetworkReport {
  figures: NetworkFigures;
  /** The hypervisors' streams between the two migration addresses (several with multifd). */
  streams: TcpStreamReport[];
  rpc: TcpStreamReport[];
  probe: ProbeReport | null;
  tcpEcho: TcpEchoReport[];
  timeline: TimelineBucket[];
  /** Probe requests over time, [requestTs, rttMs | null]; absent in reports stored before it existed. */
  probeSeries?: ProbeSeriesPoint[];
  /** Packets read from each capture. */
  packets: { migration: number; probe: number };
  /** The probe to the floating IP from outside; `probe` above is east-west (the prober on the tenant network). */
  northSouth?: NorthSouthReport | null;
  notes: string[];
}

export interface StreamEndpoints {
  sourceAddress: string;
  destinationAddress: string;
}

/**
 * Pure: the migration capture and the probe capture, analyzed apart, become one report. Only
 * streams between the two hosts' migration addresses count; other traffic is noted, not summed.
 */
export function composeNetworkReport(
  migration: AnalysisReport | null,
  probe: AnalysisReport | null,
  endpoints: StreamEndpoints,
): MigrationNetworkReport {
  const notes: string[] = [];
  const all = migration?.migrations ?? [];
  const streams = all.filter((s) => s.source === endpoints.sourceAddress && s.destination === endpoints.destinationAddress);
  if (all.length > streams.length) notes.push(`${all.length - streams.length} other migration-port stream(s) in the capture were left out`);
  if (migration && streams.length === 0) notes.push('no migration stream between the two hosts was captured');
  let first = Infinity;
  let last = -Infinity;
  let payload = 0;
  for (const s of streams) {
    first = Math.min(first, s.firstPacketTs);
    last = Math.max(last, s.lastPacketTs);
    payload += s.payloadBytes;
  }
  const totalMs = streams.length > 0 ? (last - first) * 1000 : null;
  const probeReport = probe?.probe ?? null;
  if (!probe) notes.push('no probe capture: downtime, loss and jitter are not measured');
  else if (!probeReport || probeReport.sent === 0) notes.push('the probe capture holds no echo requests to the guest');
  const probeSeries = probe?.probeSeries ?? [];
  if (probeReport && probeSeries.length < probeReport.sent)
    notes.push(`probe series for charts downsampled: ${probeSeries.length} of ${probeReport.sent} requests`);
  const silence = trailingSilence(probeSeries);
  if (silence !== null) {
    // The gap method only sees gaps between replies: an outage still open at the end is not in downtimeMs.
    notes.push(
      `the guest stopped answering ${silence.lost} probe(s) before the capture ended (${silence.ms.toFixed(0)} ms of requests without a reply): downtimeMs does not include this outage`,
    );
  }
  const figures: NetworkFigures = {
    netTotalMigrationTimeMs: totalMs,
    netPayloadBytes: streams.length > 0 ? payload : null,
    netThroughputMbps: totalMs && totalMs > 0 ? (payload * 8) / (totalMs / 1000) / 1e6 : null,
    netDowntimeMs: probeReport?.downtimeMs ?? null,
    netDowntimeLossMs: probeReport?.downtimeLossMs ?? null,
    netLossPct: probeReport && probeReport.sent > 0 ? probeReport.lossPct : null,
    netJitterMs: probeReport?.jitterMs ?? null,
    netRttAvgMs: probeReport?.rtt.avgMs ?? null,
    netMaxReplyGapMs: probeReport?.maxReplyGapMs ?? null,
    netProbeIntervalMs: probeReport?.probeIntervalMs ?? null,
    northSouthDowntimeMs: null,
    northSouthLossPct: null,
    networkConvergenceMs: null,
  };
  return {
    figures,
    streams,
    rpc: migration?.rpc ?? [],
    probe: probeReport,
    tcpEcho: probe?.tcpEcho ?? [],
    timeline: migration?.timeline ?? [],
    probeSeries,
    packets: { migration: migration?.packets ?? 0, probe: probe?.packets ?? 0 },
    notes,
  };
}

/** The requests at the end of the stream that got no reply, when there are at least 5 of them. */
export function trailingSilence(series: readonly (readonly [number, number | null])[]): { lost: number; ms: number } | null {
  let lost = 0;
  for (let i = series.length - 1; i >= 0 && series[i][1] === null; i--) lost++;
  if (lost < 5) return null;
  return { lost, ms: (series[series.length - 1][0] - series[series.length - lost][0]) * 1000 };
}
