import type { ProbeSeriesPoint } from './analysis-report';
import type { PauseWindow } from './pause-window';

/** The silence of one probe stream that spans the guest's pause: the migration's downtime window. */
export interface SwitchoverGap {
  /** Arrival of the last reply before the silence (the first request's time when no reply came before). */
  startTs: number;
  /** Arrival of the first reply after it; null when the guest never answered again (the outage is still open). */
  endTs: number | null;
  /** endTs − startTs; null while open. */
  gapMs: number | null;
  /** The gap method over this gap: gapMs − probe interval, floored at 0; null while open or without an interval. */
  downtimeMs: number | null;
  /** For an open outage: from its start to the last request seen (how long the capture went on without a reply). */
  openForMs: number | null;
}

/** Reply arrival times in order: request time plus RTT. */
export function replyArrivals(series: readonly ProbeSeriesPoint[]): number[] {
  const out: number[] = [];
  for (const [ts, rtt] of series) if (rtt !== null) out.push(ts + rtt / 1000);
  return out.sort((a, b) => a - b);
}

/**
 * Pure: the longest gap between consecutive replies that overlaps the switchover — from the pause's start to the
 * end of the pause or of the switchover's network steps, whichever is later (a blackout right after the resume,
 * while the network follows the guest, is the switchover's too) — not the longest gap anywhere, so a silence
 * seconds before the migration is never taken for its downtime. When the requests after the last reply go
 * unanswered and that silence overlaps the switchover, the outage is open (endTs null). Null without requests, or
 * when no silence touches the switchover.
 */
export function switchoverGap(
  series: readonly ProbeSeriesPoint[],
  pause: PauseWindow,
  probeIntervalMs: number | null,
  /** The end of the switchover's network steps (epoch seconds); the pause's end when null or earlier. */
  stepsEndTs: number | null = null,
): SwitchoverGap | null {
  const spanEndTs = Math.max(pause.endTs, stepsEndTs ?? pause.endTs);
  if (series.length === 0) return null;
  const firstRequestTs = series[0][0];
  const lastRequestTs = series[series.length - 1][0];
  const arrivals = replyArrivals(series);
  const overlaps = (from: number, to: number | null) => from <= spanEndTs && (to === null || to >= pause.startTs);
  if (arrivals.length === 0) return overlaps(firstRequestTs, null) ? open(firstRequestTs, lastRequestTs) : null;

  let best: { from: number; to: number } | null = null;
  const consider = (from: number, to: number) => {
    if (overlaps(from, to) && (best === null || to - from > best.to - best.from)) best = { from, to };
  };
  // Before the first reply: the stream may have started inside the outage.
  if (firstRequestTs < arrivals[0]) consider(firstRequestTs, arrivals[0]);
  for (let i = 1; i < arrivals.length; i++) consider(arrivals[i - 1], arrivals[i]);

  const lastReply = arrivals[arrivals.length - 1];
  const unansweredAfter = series.some(([ts, rtt]) => rtt === null && ts >= lastReply);
  // An outage still open at the end that overlaps the pause wins: the guest did not come back.
  if (unansweredAfter && overlaps(lastReply, null) && lastRequestTs >= pause.startTs) return open(lastReply, lastRequestTs);
  if (best === null) return null;
  const { from, to } = best;
  const gapMs = (to - from) * 1000;
  return {
    startTs: from,
    endTs: to,
    gapMs,
    downtimeMs: probeIntervalMs === null ? null : Math.max(0, gapMs - probeIntervalMs),
    openForMs: null,
  };
}

function open(from: number, lastRequestTs: number): SwitchoverGap {
  return { startTs: from, endTs: null, gapMs: null, downtimeMs: null, openForMs: Math.max(0, (lastRequestTs - from) * 1000) };
}
