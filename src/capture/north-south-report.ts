import type { AnalysisReport, ProbeReport, ProbeSeriesPoint } from '../analysis';

/** The probe from the external network to the guest's floating IP, beside the east-west one. */
export interface NorthSouthReport {
  floatingIp: string;
  probe: ProbeReport | null;
  probeSeries: ProbeSeriesPoint[];
  /**
   * Switchover (the source paused for stop-and-copy) to the arrival of the first reply to a
   * request sent at or after it: guest resume, binding activation, FDB and FIP move together.
   */
  networkConvergenceMs: number | null;
  notes: string[];
}

/** Pure: the north-south probe capture, analyzed, against the switchover time (epoch seconds). */
export function composeNorthSouth(analysis: AnalysisReport | null, floatingIp: string, switchoverTs: number | null): NorthSouthReport {
  const notes: string[] = [];
  const probe = analysis?.probe ?? null;
  const series = analysis?.probeSeries ?? [];
  if (!analysis) notes.push('no north-south probe capture');
  else if (!probe || probe.sent === 0) notes.push(`the north-south capture holds no echo requests to ${floatingIp}`);
  if (probe && series.length < probe.sent)
    notes.push(`north-south series downsampled (${series.length} of ${probe.sent}): convergence is read from the kept requests`);
  let networkConvergenceMs: number | null = null;
  if (switchoverTs === null) notes.push('no switchover time: network convergence is not measured');
  else {
    const arrival = firstReplyAfter(series, switchoverTs);
    if (arrival === null) notes.push(`no reply from ${floatingIp} to a request sent after the switchover`);
    else networkConvergenceMs = (arrival - switchoverTs) * 1000;
  }
  return { floatingIp, probe, probeSeries: series, networkConvergenceMs, notes };
}

/** Earliest reply arrival among requests sent at or after `ts`. */
export function firstReplyAfter(series: readonly ProbeSeriesPoint[], ts: number): number | null {
  let best: number | null = null;
  for (const [requestTs, rttMs] of series) {
    if (requestTs < ts || rttMs === null) continue;
    const arrival = requestTs + rttMs / 1000;
    if (best === null || arrival < best) best = arrival;
  }
  return best;
}
