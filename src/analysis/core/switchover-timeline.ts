import type { ProbeSeriesPoint } from './analysis-report';
import type { PauseWindow } from './pause-window';
import { switchoverGap, type SwitchoverGap } from './switchover-window';

/** One timed network step (controller clock), as the migration record keeps it. */
export interface TimedStep {
  step: string;
  host: string | null;
  phase: string | null;
  startTs: number;
  durationMs: number;
  ok: boolean;
  error: string | null;
}

/** A step placed against the pause: offsets in ms, negative before. */
export interface StepOffsets extends TimedStep {
  startFromPauseStartMs: number;
  endFromPauseStartMs: number;
  startFromPauseEndMs: number;
  endFromPauseEndMs: number;
}

export type LossPlace = 'before' | 'inside' | 'after';

/** Consecutive lost probes on one side of the pause; offsets are the requests' times from the pause start. */
export interface LostRun {
  place: LossPlace;
  count: number;
  firstFromPauseStartMs: number;
  lastFromPauseStartMs: number;
}

export interface StreamTimeline {
  stream: string;
  probeIntervalMs: number | null;
  /** Lost probes by where their request fell: before the pause, inside it, after it. */
  lost: Record<LossPlace, number> & { total: number; inSwitchoverGap: number; beforeGap: number; afterGap: number };
  /** Runs of lost probes, at most MAX_RUNS (the rest counted in runsLeftOut). */
  runs: LostRun[];
  runsLeftOut: number;
  /** The silence that spans the pause (the downtime window). */
  window: SwitchoverGap | null;
  /** The gap method over that window; the mtr method (lost × interval), whole and by place. */
  gapMethodMs: number | null;
  mtrMethodMs: number | null;
  mtrByPlaceMs: Record<LossPlace, number> | null;
  /** From the end of the pause to the first reply after the silence; null without a closed window. */
  firstReplyAfterPauseMs: number | null;
  /** Why the two methods disagree, in a sentence or two. */
  explanation: string;
}

export interface SwitchoverTimeline {
  pause: PauseWindow;
  /** When the switchover's network steps ended: a silence up to then is the switchover's too. */
  stepsEndTs: number | null;
  steps: StepOffsets[];
  streams: StreamTimeline[];
}

export const MAX_RUNS = 50;

/** Pure: each step against the pause's start and end. */
export function stepOffsets(steps: readonly TimedStep[], pause: PauseWindow): StepOffsets[] {
  return steps.map((s) => {
    const end = s.startTs + s.durationMs / 1000;
    return {
      ...s,
      startFromPauseStartMs: (s.startTs - pause.startTs) * 1000,
      endFromPauseStartMs: (end - pause.startTs) * 1000,
      startFromPauseEndMs: (s.startTs - pause.endTs) * 1000,
      endFromPauseEndMs: (end - pause.endTs) * 1000,
    };
  });
}

/** Where a request fell against the pause. */
export function lossPlace(requestTs: number, pause: PauseWindow): LossPlace {
  if (requestTs < pause.startTs) return 'before';
  return requestTs <= pause.endTs ? 'inside' : 'after';
}

/** Pure: where each lost probe of one stream fell, the switchover window, and the two downtime methods side by side. */
export function streamTimeline(
  stream: string,
  series: readonly ProbeSeriesPoint[],
  pause: PauseWindow,
  probeIntervalMs: number | null,
  stepsEndTs: number | null = null,
): StreamTimeline {
  const window = switchoverGap(series, pause, probeIntervalMs, stepsEndTs);
  const lost = { before: 0, inside: 0, after: 0, total: 0, inSwitchoverGap: 0, beforeGap: 0, afterGap: 0 };
  const runs: LostRun[] = [];
  let runsLeftOut = 0;
  let current: LostRun | null = null;
  for (const [ts, rtt] of series) {
    if (rtt !== null) {
      current = null;
      continue;
    }
    const place = lossPlace(ts, pause);
    lost[place]++;
    lost.total++;
    if (window && ts < window.startTs) lost.beforeGap++;
    else if (window && (window.endTs === null || ts <= window.endTs)) lost.inSwitchoverGap++;
    else if (window) lost.afterGap++;
    const offsetMs = (ts - pause.startTs) * 1000;
    if (current !== null && current.place === place) {
      current.count++;
      current.lastFromPauseStartMs = offsetMs;
    } else if (runs.length < MAX_RUNS) {
      current = { place, count: 1, firstFromPauseStartMs: offsetMs, lastFromPauseStartMs: offsetMs };
      runs.push(current);
    } else {
      current = null;
      runsLeftOut++;
    }
  }
  const interval = probeIntervalMs;
  const mtrByPlaceMs =
    interval === null ? null : { before: lost.before * interval, inside: lost.inside * interval, after: lost.after * interval };
  const mtrMethodMs = interval === null ? null : lost.total * interval;
  const gapMethodMs = window?.downtimeMs ?? null;
  return {
    stream,
    probeIntervalMs,
    lost,
    runs,
    runsLeftOut,
    window,
    gapMethodMs,
    mtrMethodMs,
    mtrByPlaceMs,
    firstReplyAfterPauseMs: window?.endTs == null ? null : (window.endTs - pause.endTs) * 1000,
    explanation: explain(window, lost, interval),
  };
}

/** Pure: the whole timeline of one migration. */
export function switchoverTimeline(
  pause: PauseWindow,
  steps: readonly TimedStep[],
  streams: readonly { stream: string; series: readonly ProbeSeriesPoint[]; probeIntervalMs: number | null }[],
): SwitchoverTimeline {
  let stepsEndTs: number | null = null;
  for (const s of steps) if (s.phase === 'switchover') stepsEndTs = Math.max(stepsEndTs ?? -Infinity, s.startTs + s.durationMs / 1000);
  return {
    pause,
    stepsEndTs,
    steps: stepOffsets(steps, pause),
    streams: streams.map((s) => streamTimeline(s.stream, s.series, pause, s.probeIntervalMs, stepsEndTs)),
  };
}

const f0 = (v: number) => v.toFixed(0);

function explain(window: SwitchoverGap | null, lost: StreamTimeline['lost'], interval: number | null): string {
  if (interval === null) return 'no probe interval: neither method can be computed';
  if (window === null) return `no silence spans the pause; ${lost.total} probes were lost elsewhere (mtr ${f0(lost.total * interval)} ms)`;
  if (window.endTs === null)
    return `the guest never answered again (silent for ${f0(window.openForMs ?? 0)} ms until the capture ended): the gap method has no end; mtr counts ${lost.total} lost probes (${f0(lost.total * interval)} ms)`;
  const outside = lost.total - lost.inSwitchoverGap;
  const mtr = lost.total * interval;
  const gap = window.downtimeMs ?? 0;
  const parts = [
    `gap method ${f0(gap)} ms (the longest silence of the switchover, less one interval); mtr method ${f0(mtr)} ms (${lost.total} lost × ${interval} ms)`,
  ];
  if (outside > 0) {
    parts.push(
      `${outside} lost probes fell outside the switchover gap (${lost.beforeGap} before it, ${lost.afterGap} after it): they add ${f0(outside * interval)} ms to mtr only`,
    );
  }
  const inGapMs = lost.inSwitchoverGap * interval;
  if (inGapMs + interval < gap) {
    parts.push(
      `inside the gap only ${lost.inSwitchoverGap} probes were lost (${f0(inGapMs)} ms): the rest of the silence is replies that came late (held while the guest was paused), which the gap counts and mtr does not`,
    );
  }
  if (outside === 0 && Math.abs(mtr - gap) <= interval)
    parts.push('every lost probe fell inside the switchover gap: the two methods agree within one interval');
  return parts.join('; ');
}
