import { pauseSourceOf, pauseWindow } from '../analysis/core/pause-window';
import { switchoverTimeline, type SwitchoverTimeline, type TimedStep } from '../analysis/core/switchover-timeline';
import type { MigrationNetworkReport } from '../capture/migration-report';
import type { LiveMigrationEntity } from '../migration/records/live-migration.entity';

/** A network step as the migration record keeps it. */
type NetworkStepRecord = NonNullable<LiveMigrationEntity['networkSteps']>[number];

/** When the switchover phase was entered and what it said (the pause event, or the job's end). */
export interface SwitchoverPhase {
  enteredAt: Date;
  detail: string | null;
}

export interface SwitchoverSource {
  report: MigrationNetworkReport | null;
  hvDowntimeMs: number | null;
  networkSteps: NetworkStepRecord[] | null;
  /** The destination's resumed event, when libvirt sent it. */
  guestResumedAt?: Date | null;
}

/** Pure: the record's network steps on the epoch-seconds axis of the captures. */
export function timedSteps(steps: readonly NetworkStepRecord[] | null): TimedStep[] {
  return (steps ?? []).flatMap((s) => {
    const startMs = Date.parse(s.startedAt);
    if (!Number.isFinite(startMs)) return [];
    return [
      {
        step: s.step,
        host: s.host ?? null,
        phase: s.phase ?? null,
        startTs: startMs / 1000,
        durationMs: s.durationMs,
        ok: s.ok,
        error: s.error ?? null,
      },
    ];
  });
}

/** Pure: the switchover timeline of a stored migration; null without a switchover time or a stored report. */
export function toSwitchoverTimeline(m: SwitchoverSource, phase: SwitchoverPhase | null): SwitchoverTimeline | null {
  const pause = pauseWindow({
    switchoverAt: phase?.enteredAt ?? null,
    source: pauseSourceOf(phase?.detail ?? null),
    hvDowntimeMs: m.hvDowntimeMs,
    resumedAt: m.guestResumedAt ?? null,
  });
  if (pause === null || m.report === null) return null;
  const r = m.report;
  const streams = [{ stream: 'east-west', series: r.probeSeries ?? [], probeIntervalMs: r.probe?.probeIntervalMs ?? null }];
  if (r.northSouth)
    streams.push({ stream: 'north-south', series: r.northSouth.probeSeries, probeIntervalMs: r.northSouth.probe?.probeIntervalMs ?? null });
  return switchoverTimeline(pause, timedSteps(m.networkSteps), streams);
}
