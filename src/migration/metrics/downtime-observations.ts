import type { DowntimeMeasurement } from './migration-metric-set';

export interface EndFigures {
  startedAt: Date | null;
  finishedAt: Date | null;
  hvDowntimeMs: number | null;
  netDowntimeMs: number | null;
  northSouthDowntimeMs: number | null;
}

export interface EndObservations {
  durationSec: number | null;
  downtimeSec: [DowntimeMeasurement, number][];
  /** East-west network downtime minus the hypervisor's; null unless both were measured. */
  networkExcessSec: number | null;
}

/** Pure: a finished record's figures in the histograms' unit, leaving out what was not measured. */
export function downtimeObservations(f: EndFigures): EndObservations {
  const sec = (ms: number | null) => (ms === null ? null : ms / 1000);
  const downtimeSec: [DowntimeMeasurement, number][] = [];
  for (const [measurement, ms] of [
    ['hypervisor', f.hvDowntimeMs],
    ['east_west', f.netDowntimeMs],
    ['north_south', f.northSouthDowntimeMs],
  ] as const) {
    const s = sec(ms);
    if (s !== null) downtimeSec.push([measurement, s]);
  }
  const durationSec = f.startedAt && f.finishedAt ? Math.max(0, (f.finishedAt.getTime() - f.startedAt.getTime()) / 1000) : null;
  const networkExcessSec = f.netDowntimeMs !== null && f.hvDowntimeMs !== null ? (f.netDowntimeMs - f.hvDowntimeMs) / 1000 : null;
  return { durationSec, downtimeSec, networkExcessSec };
}
