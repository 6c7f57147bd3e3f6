import type { ProbeSeriesPoint } from './analysis-report';
import type { PauseWindow } from './pause-window';
import { replyArrivals } from './switchover-window';

/** A silence at the end of a stream shorter than this (or of fewer probes) is a late reply, not a lost guest. */
export const UNREACHABLE_MIN_LOST = 5;
export const UNREACHABLE_MIN_SILENCE_MS = 500;

export interface ProbeStream {
  /** `east-west` (the tenant network's prober) or `north-south` (the external network to the floating IP). */
  name: string;
  series: readonly ProbeSeriesPoint[];
}

export type Reachability = { reachable: true } | { reachable: false; reason: string };

/**
 * Pure: whether the guest answered again after the switchover. A stream that answered at some point but whose
 * last requests, sent after the pause began, all went unanswered until the capture ended (at least 5 probes over
 * 500 ms) says the guest is unreachable there. A stream that never answered proves nothing about the migration.
 */
export function guestReachability(streams: readonly ProbeStream[], pause: PauseWindow | null): Reachability {
  const reasons: string[] = [];
  for (const s of streams) {
    const arrivals = replyArrivals(s.series);
    if (arrivals.length === 0 || s.series.length === 0) continue;
    const lastReply = arrivals[arrivals.length - 1];
    const unanswered = s.series.filter(([ts, rtt]) => rtt === null && ts >= lastReply);
    if (unanswered.length < UNREACHABLE_MIN_LOST) continue;
    const lastRequestTs = s.series[s.series.length - 1][0];
    const silenceMs = (lastRequestTs - lastReply) * 1000;
    if (silenceMs < UNREACHABLE_MIN_SILENCE_MS) continue;
    if (pause !== null && lastRequestTs < pause.startTs) continue;
    reasons.push(
      `${s.name}: no reply for the last ${silenceMs.toFixed(0)} ms of the capture (${unanswered.length} probes), ${since(lastReply, pause)}`,
    );
  }
  return reasons.length === 0 ? { reachable: true } : { reachable: false, reason: `the guest never answered again: ${reasons.join('; ')}` };
}

function since(lastReplyTs: number, pause: PauseWindow | null): string {
  if (pause === null) return 'no switchover time known';
  const fromStart = (lastReplyTs - pause.startTs) * 1000;
  if (lastReplyTs < pause.startTs) return `last reply ${(-fromStart).toFixed(0)} ms before the pause`;
  if (lastReplyTs <= pause.endTs) return `last reply ${fromStart.toFixed(0)} ms into the pause`;
  return `last reply ${((lastReplyTs - pause.endTs) * 1000).toFixed(0)} ms after the pause ended`;
}
