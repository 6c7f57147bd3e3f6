import type { ProbeSeriesPoint, TimelineBucket } from '../analysis';

/** Migration throughput at one time: Mbit/s from tsSec for widthSec. */
export interface ThroughputStep {
  tsSec: number;
  widthSec: number;
  mbps: number;
}

/** Bucket width of a dense timeline (buckets are contiguous), defaulting to the analyzer's 100 ms. */
export function timelineWidthSec(timeline: readonly TimelineBucket[]): number {
  if (timeline.length < 2) return 0.1;
  return Math.max(1e-3, Math.round((timeline[1].ts - timeline[0].ts) * 1e6) / 1e6);
}

/** Migration payload per bucket as Mbit/s, merging neighbours so at most maxSteps remain (a chart has few pixels). */
export function throughputSteps(timeline: readonly TimelineBucket[], maxSteps: number): ThroughputStep[] {
  const widthSec = timelineWidthSec(timeline);
  const per = Math.max(1, Math.ceil(timeline.length / Math.max(1, maxSteps)));
  const steps: ThroughputStep[] = [];
  for (let at = 0; at < timeline.length; at += per) {
    const group = timeline.slice(at, at + per);
    const bytes = group.reduce((sum, b) => sum + b.migrationPayloadBytes, 0);
    const span = group.length * widthSec;
    steps.push({ tsSec: group[0].ts, widthSec: span, mbps: (bytes * 8) / span / 1e6 });
  }
  return steps;
}

/** The time span the chart covers: the timeline, the probes and the downtime window together. */
export function chartTimeRange(
  steps: readonly ThroughputStep[],
  probes: readonly ProbeSeriesPoint[],
  window: readonly (number | null)[],
): { fromSec: number; toSec: number } | null {
  let from = Infinity;
  let to = -Infinity;
  for (const s of steps) {
    from = Math.min(from, s.tsSec);
    to = Math.max(to, s.tsSec + s.widthSec);
  }
  for (const [ts] of probes) {
    from = Math.min(from, ts);
    to = Math.max(to, ts);
  }
  for (const ts of window) {
    if (ts === null) continue;
    from = Math.min(from, ts);
    to = Math.max(to, ts);
  }
  if (!Number.isFinite(from)) return null;
  return { fromSec: from, toSec: to > from ? to : from + 1 };
}
