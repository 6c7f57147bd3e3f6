// The guest's pause for stop-and-copy on the captures' time axis (epoch seconds), from the migration record.

/** Where the pause's start came from: the source's suspended event, or (no event seen) the job's end. */
export type PauseSource = 'pause-event' | 'job-end';

export interface PauseWindow {
  startTs: number;
  /** Equal to startTs when the hypervisor gave no downtime (post-copy without figures): the pause is a point. */
  endTs: number;
  /** The hypervisor's downtime; null when libvirt reported none. */
  durationMs: number | null;
  source: PauseSource;
  /** Source paused → destination resumed, from libvirt's two lifecycle events; null without both. */
  fromEventsMs: number | null;
}

export interface PauseInput {
  /** When the switchover was recorded (controller clock). */
  switchoverAt: Date | null;
  source: PauseSource;
  hvDowntimeMs: number | null;
  /** The destination's resumed event, when one was recorded; it ends the pause exactly. */
  resumedAt?: Date | null;
}

/**
 * Pure: the pause from the record. With the pause event the recorded time is the pause's start and the
 * hypervisor's downtime (or the resume event) its end; without it, the recorded time is the job's end, after the
 * resume, so the pause is taken as the downtime before it. Null without a switchover time.
 */
export function pauseWindow(input: PauseInput): PauseWindow | null {
  if (input.switchoverAt === null) return null;
  const at = input.switchoverAt.getTime() / 1000;
  const hv = input.hvDowntimeMs !== null && Number.isFinite(input.hvDowntimeMs) && input.hvDowntimeMs >= 0 ? input.hvDowntimeMs : null;
  if (input.source === 'pause-event') {
    const resumed = input.resumedAt ? input.resumedAt.getTime() / 1000 : null;
    const endTs = resumed !== null && resumed >= at ? resumed : at + (hv ?? 0) / 1000;
    const fromEventsMs = resumed !== null && resumed >= at ? (resumed - at) * 1000 : null;
    return { startTs: at, endTs, durationMs: hv ?? fromEventsMs, source: 'pause-event', fromEventsMs };
  }
  return { startTs: at - (hv ?? 0) / 1000, endTs: at, durationMs: hv, source: 'job-end', fromEventsMs: null };
}

/** The switchover phase's detail as the engine writes it: "source paused (…)" when the pause event came. */
export function pauseSourceOf(switchoverDetail: string | null): PauseSource {
  return switchoverDetail?.startsWith('source paused') ? 'pause-event' : 'job-end';
}

/** Pure: when the switchover's network steps ended (epoch seconds), from the record's steps; null without any. */
export function switchoverStepsEndTs(steps: readonly { startedAt: string; durationMs: number; phase?: string | null }[]): number | null {
  let end: number | null = null;
  for (const s of steps) {
    const startMs = Date.parse(s.startedAt);
    if (s.phase !== 'switchover' || !Number.isFinite(startMs)) continue;
    const ts = (startMs + s.durationMs) / 1000;
    if (end === null || ts > end) end = ts;
  }
  return end;
}
