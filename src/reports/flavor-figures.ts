import type { MigrationFigures } from './flavor-aggregates';
import type { FiguresRow } from './repositories/report-columns';

const minus = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a - b);

/** Pure: a completed migration's stored columns as the figures the per-flavor aggregates read. */
export function toFigures(m: FiguresRow): MigrationFigures {
  return {
    flavorName: m.flavorName,
    flavorRamMiB: m.flavorRamMiB,
    totalMigrationTimeMs: m.netTotalMigrationTimeMs,
    downtimeMs: m.netDowntimeMs,
    downtimeLossMs: m.netDowntimeLossMs,
    northSouthDowntimeMs: m.northSouthDowntimeMs,
    hvDowntimeMs: m.hvDowntimeMs,
    eastWestMinusHvMs: minus(m.netDowntimeMs, m.hvDowntimeMs),
    northSouthMinusHvMs: minus(m.northSouthDowntimeMs, m.hvDowntimeMs),
    hvTotalTimeMs: m.hvTotalTimeMs,
    lossPct: m.netLossPct,
    jitterMs: m.netJitterMs,
    rttAvgMs: m.netRttAvgMs,
  };
}
