import { ProbeReport, ProbeSeriesPoint } from './analysis-report';
import { median, percentileSorted, rfc3550Jitter } from './stats';

/** Most points a probe series keeps: enough for any chart, small enough to store with the report. */
export const PROBE_SERIES_MAX_POINTS = 20_000;

/** Most echo targets tracked at once; past it the targets with the fewest requests are dropped. */
export const MAX_PROBE_TARGETS = 256;
/** Most echo requests kept over all targets (16 bytes each): a probe every ms for 30 minutes. */
export const MAX_PROBE_REQUESTS = 2_000_000;
/** Unanswered requests awaited per target; an older one still unanswered counts as lost. */
export const MAX_PENDING_PROBES = 65_536;

/** Maps a time relative to the first packet (ns) to seconds since the epoch. */
export type ToEpochSec = (relNs: number) => number;

const relativeSec: ToEpochSec = (relNs) => relNs / 1e9;

// Echo requests to one target and their replies, matched by (identifier, sequence).
class ProbeTarget {
  readonly requestRelNs: number[] = [];
  /** First matching reply per request, NaN while unanswered. */
  readonly replyRelNs: number[] = [];
  private readonly pendingByKey = new Map<number, number>();
  sourceMask = 0;

  /** Returns true when the oldest unanswered request had to be given up to bound memory. */
  request(key: number, relNs: number): boolean {
    // A reused (id, seq) — the 16-bit sequence wraps — now refers to the newest request.
    this.pendingByKey.delete(key);
    this.pendingByKey.set(key, this.requestRelNs.length);
    this.requestRelNs.push(relNs);
    this.replyRelNs.push(Number.NaN);
    if (this.pendingByKey.size <= MAX_PENDING_PROBES) return false;
    const oldest = this.pendingByKey.keys().next();
    if (oldest.done !== true) this.pendingByKey.delete(oldest.value);
    return true;
  }

  reply(key: number, relNs: number): void {
    const index = this.pendingByKey.get(key);
    if (index === undefined) return; // its request was not captured, or this is a duplicate
    this.pendingByKey.delete(key);
    this.replyRelNs[index] = relNs;
  }
}

export class ProbeTracker {
  private readonly targets = new Map<string, ProbeTarget>();
  private requests = 0;
  private readonly dropped = { targets: 0, requests: 0, refused: 0, givenUp: 0 };

  constructor(private readonly vmIp: string | undefined) {}

  request(dst: string, id: number, seq: number, relNs: number, sourceIndex = 0): void {
    if (this.vmIp !== undefined && dst !== this.vmIp) return;
    let target = this.targets.get(dst);
    if (target === undefined) {
      if (this.targets.size >= MAX_PROBE_TARGETS) this.evictSmaller(MAX_PROBE_TARGETS / 2);
      target = new ProbeTarget();
      this.targets.set(dst, target);
    }
    if (this.requests >= MAX_PROBE_REQUESTS) {
      this.evictSmaller(1);
      if (this.requests >= MAX_PROBE_REQUESTS || !this.targets.has(dst)) {
        this.dropped.refused += 1;
        return;
      }
    }
    this.requests += 1;
    if (target.request(id * 65536 + seq, relNs)) this.dropped.givenUp += 1;
    target.sourceMask |= 1 << Math.min(sourceIndex, 30);
  }

  /** What the bounds dropped, for the report's warnings. */
  warnings(): string[] {
    const d = this.dropped;
    const out: string[] = [];
    if (d.targets > 0) out.push(`${d.targets} echo targets with the fewest requests were dropped (${d.requests} requests) to bound memory`);
    if (d.refused > 0) out.push(`${d.refused} echo requests past the limit of ${MAX_PROBE_REQUESTS} were not recorded`);
    if (d.givenUp > 0) out.push(`${d.givenUp} echo requests still unanswered after ${MAX_PENDING_PROBES} newer ones were counted as lost`);
    return out;
  }

  // Drops the targets with the fewest requests until at most `keep` remain (the probe stream is the biggest).
  private evictSmaller(keep: number): void {
    if (this.targets.size <= keep) return;
    const bySize = [...this.targets].sort((a, b) => b[1].requestRelNs.length - a[1].requestRelNs.length || (a[0] < b[0] ? -1 : 1));
    for (const [name, t] of bySize.slice(keep)) {
      this.targets.delete(name);
      this.dropped.targets += 1;
      this.dropped.requests += t.requestRelNs.length;
      this.requests -= t.requestRelNs.length;
    }
  }

  reply(src: string, id: number, seq: number, relNs: number): void {
    this.targets.get(src)?.reply(id * 65536 + seq, relNs);
  }

  report(givenIntervalMs: number | undefined, warnings: string[], toEpochSec: ToEpochSec = relativeSec): ProbeReport | null {
    const name = this.pickTarget();
    if (name === null) return null;
    const target = this.targets.get(name) as ProbeTarget;
    if ((target.sourceMask & (target.sourceMask - 1)) !== 0) {
      warnings.push(`echo requests to ${name} appear in several captures: each copy counts as a request`);
    }
    return probeReport(name, target.requestRelNs, target.replyRelNs, givenIntervalMs, toEpochSec);
  }

  /** The chosen target's requests as a chart series (empty without probes), at most maxPoints long. */
  series(warnings: string[], toEpochSec: ToEpochSec = relativeSec, maxPoints = PROBE_SERIES_MAX_POINTS): ProbeSeriesPoint[] {
    const name = this.pickTarget();
    if (name === null) return [];
    const target = this.targets.get(name) as ProbeTarget;
    return probeSeries(target.requestRelNs, target.replyRelNs, warnings, toEpochSec, maxPoints);
  }

  /** The given VM IP, else the address that received the most echo requests (ties: lowest text). */
  private pickTarget(): string | null {
    let best: string | null = null;
    let bestCount = 0;
    for (const [name, t] of this.targets) {
      const count = t.requestRelNs.length;
      if (count > bestCount || (count === bestCount && best !== null && name < best)) {
        best = name;
        bestCount = count;
      }
    }
    return best;
  }
}

/** The probe metrics of METRICS.md from request times and reply times (NaN = no reply), both in ns. */
export function probeReport(
  target: string,
  requestRelNs: readonly number[],
  replyRelNs: readonly number[],
  givenIntervalMs: number | undefined,
  toEpochSec: ToEpochSec = relativeSec,
): ProbeReport {
  const order = timeOrder(requestRelNs);
  const requestGapsMs: number[] = [];
  for (let i = 1; i < order.length; i++) requestGapsMs.push((requestRelNs[order[i]] - requestRelNs[order[i - 1]]) / 1e6);
  const rttsInOrderMs: number[] = [];
  const repliesNs: number[] = [];
  for (const i of order) {
    if (Number.isNaN(replyRelNs[i])) continue;
    rttsInOrderMs.push((replyRelNs[i] - requestRelNs[i]) / 1e6);
    repliesNs.push(replyRelNs[i]);
  }
  repliesNs.sort((a, b) => a - b);
  const sent = requestRelNs.length;
  const received = rttsInOrderMs.length;
  const lost = sent - received;
  const intervalMs = givenIntervalMs ?? median(requestGapsMs);
  const gap = largestGap(repliesNs);
  const maxReplyGapMs = gap === null ? null : (repliesNs[gap] - repliesNs[gap - 1]) / 1e6;
  const rttSorted = [...rttsInOrderMs].sort((a, b) => a - b);
  return {
    target,
    probeIntervalMs: intervalMs,
    sent,
    received,
    lost,
    lossPct: sent === 0 ? 0 : (100 * lost) / sent,
    maxReplyGapMs,
    downtimeMs: maxReplyGapMs === null || intervalMs === null ? null : Math.max(0, maxReplyGapMs - intervalMs),
    downtimeLossMs: intervalMs === null ? null : lost * intervalMs,
    jitterMs: rfc3550Jitter(rttsInOrderMs),
    rtt: {
      avgMs: received === 0 ? null : rttsInOrderMs.reduce((a, b) => a + b, 0) / received,
      p50Ms: percentileSorted(rttSorted, 50),
      p95Ms: percentileSorted(rttSorted, 95),
      maxMs: received === 0 ? null : rttSorted[received - 1],
    },
    gapStartTs: gap === null ? null : toEpochSec(repliesNs[gap - 1]),
    gapEndTs: gap === null ? null : toEpochSec(repliesNs[gap]),
  };
}

/**
 * Requests in time order as [requestTs, rttMs | null]. Past maxPoints the requests are cut into maxPoints bins of
 * consecutive requests and each bin keeps its first lost request, else its slowest reply: outages and RTT spikes
 * stay visible, and the same capture always gives the same series.
 */
export function probeSeries(
  requestRelNs: readonly number[],
  replyRelNs: readonly number[],
  warnings: string[],
  toEpochSec: ToEpochSec = relativeSec,
  maxPoints = PROBE_SERIES_MAX_POINTS,
): ProbeSeriesPoint[] {
  const order = timeOrder(requestRelNs);
  const point = (i: number): ProbeSeriesPoint => {
    const rttNs = replyRelNs[i] - requestRelNs[i];
    return [roundTo(toEpochSec(requestRelNs[i]), 1e6), Number.isNaN(rttNs) ? null : roundTo(rttNs / 1e6, 1e3)];
  };
  const cap = Math.max(1, Math.floor(maxPoints));
  if (order.length <= cap) return order.map(point);
  const series: ProbeSeriesPoint[] = [];
  for (let bin = 0; bin < cap; bin++) {
    const from = Math.floor((bin * order.length) / cap);
    const to = Math.floor(((bin + 1) * order.length) / cap);
    let pick = order[from];
    for (let k = from; k < to; k++) {
      const i = order[k];
      if (Number.isNaN(replyRelNs[i])) {
        pick = i;
        break;
      }
      if (replyRelNs[i] - requestRelNs[i] > replyRelNs[pick] - requestRelNs[pick]) pick = i;
    }
    series.push(point(pick));
  }
  warnings.push(`probe series downsampled from ${order.length} to ${cap} points: each keeps the first lost or slowest probe of its bin`);
  return series;
}

function timeOrder(relNs: readonly number[]): number[] {
  return relNs.map((_, i) => i).sort((a, b) => relNs[a] - relNs[b] || a - b);
}

/** Index i of the largest sortedAsc[i] − sortedAsc[i − 1] (the first such); null with fewer than two values. */
function largestGap(sortedAsc: readonly number[]): number | null {
  if (sortedAsc.length < 2) return null;
  let best = 1;
  for (let i = 2; i < sortedAsc.length; i++) if (sortedAsc[i] - sortedAsc[i - 1] > sortedAsc[best] - sortedAsc[best - 1]) best = i;
  return best;
}

function roundTo(value: number, perUnit: number): number {
  return Math.round(value * perUnit) / perUnit;
}
