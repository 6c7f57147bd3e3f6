import { guestReachability } from '../../analysis/core/guest-reachability';
import type { PauseWindow } from '../../analysis/core/pause-window';
import { switchoverGap } from '../../analysis/core/switchover-window';
import type { MigrationNetworkReport, NetworkFigures } from '../../capture/migration-report';

export interface SwitchoverOutcome {
  /** Downtime over the gap that spans the pause, east-west and north-south (null while the outage is open). */
  figures: Pick<NetworkFigures, 'netDowntimeMs' | 'northSouthDowntimeMs'>;
  /** Set when the guest never answered again after the switchover: the migration ends `unreachable` with it. */
  unreachableReason: string | null;
  notes: string[];
}

/**
 * Pure: the analysed captures read against the switchover. The downtime is the gap method over the longest
 * silence from the pause to the end of the switchover's network steps, not over the longest gap anywhere (which stays in maxReplyGapMs); without a pause the
 * analyzer's figure stands.
 */
export function switchoverOutcome(
  report: MigrationNetworkReport,
  pause: PauseWindow | null,
  /** End of the switchover's network steps (epoch seconds): a blackout until then is the switchover's. */
  stepsEndTs: number | null = null,
): SwitchoverOutcome {
  const figures = { netDowntimeMs: report.figures.netDowntimeMs, northSouthDowntimeMs: report.figures.northSouthDowntimeMs };
  const notes: string[] = [];
  const eastWest = { name: 'east-west', series: report.probeSeries ?? [], intervalMs: report.probe?.probeIntervalMs ?? null };
  const northSouth = report.northSouth
    ? { name: 'north-south', series: report.northSouth.probeSeries, intervalMs: report.northSouth.probe?.probeIntervalMs ?? null }
    : null;
  if (pause === null) {
    if (eastWest.series.length > 0) notes.push('no switchover time: downtime is the longest reply gap anywhere');
  } else {
    for (const [stream, key] of [
      [eastWest, 'netDowntimeMs'],
      [northSouth, 'northSouthDowntimeMs'],
    ] as const) {
      if (stream === null || stream.series.length === 0) continue;
      const gap = switchoverGap(stream.series, pause, stream.intervalMs, stepsEndTs);
      if (gap === null) {
        notes.push(`${stream.name}: no reply gap spans the switchover; downtime is the longest reply gap`);
        continue;
      }
      if (figures[key] !== null && gap.downtimeMs !== null && Math.abs(figures[key] - gap.downtimeMs) > 0.5) {
        notes.push(
          `${stream.name}: the longest reply gap (${figures[key].toFixed(1)} ms of downtime) is not the switchover's (${gap.downtimeMs.toFixed(1)} ms); downtime is the latter`,
        );
      }
      figures[key] = gap.downtimeMs;
    }
  }
  const reach = guestReachability(northSouth ? [eastWest, northSouth] : [eastWest], pause);
  return { figures, unreachableReason: reach.reachable ? null : reach.reason, notes };
}
