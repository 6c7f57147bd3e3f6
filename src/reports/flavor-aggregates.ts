import { percentileSorted } from '../analysis/core/stats';

/** The per-migration figures that per-flavor reports aggregate (network beside hypervisor). */
export interface MigrationFigures {
  flavorName: string;
  flavorRamMiB: number;
  totalMigrationTimeMs: number | null;
  downtimeMs: number | null;
  downtimeLossMs: number | null;
  northSouthDowntimeMs: number | null;
  hvDowntimeMs: number | null;
  /** Network − hypervisor downtime, per path: what the network adds to the guest's pause. */
  eastWestMinusHvMs: number | null;
  northSouthMinusHvMs: number | null;
  hvTotalTimeMs: number | null;
  lossPct: number | null;
  jitterMs: number | null;
  rttAvgMs: number | null;
}

export const AGGREGATED_FIGURES = [
  'totalMigrationTimeMs',
  'downtimeMs',
  'downtimeLossMs',
  'northSouthDowntimeMs',
  'hvDowntimeMs',
  'eastWestMinusHvMs',
  'northSouthMinusHvMs',
  'hvTotalTimeMs',
  'lossPct',
  'jitterMs',
  'rttAvgMs',
] as const;
export type AggregatedFigure = (typeof AGGREGATED_FIGURES)[number];

export interface Distribution {
  /** Migrations that had this figure; it may be fewer than the flavor's n. */
  n: number;
  mean: number | null;
  p50: number | null;
  p95: number | null;
  max: number | null;
}

export interface FlavorAggregate {
  flavor: string;
  ramMiB: number;
  /** Completed migrations in the selection. */
  n: number;
  figures: Record<AggregatedFigure, Distribution>;
}

function distribution(values: number[]): Distribution {
  if (values.length === 0) return { n: 0, mean: null, p50: null, p95: null, max: null };
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    p50: percentileSorted(sorted, 50),
    p95: percentileSorted(sorted, 95),
    max: sorted[sorted.length - 1],
  };
}

/** Pure: per flavor, smallest RAM first, n and mean/p50/p95/max of each figure (nearest-rank percentiles). */
export function aggregateByFlavor(migrations: readonly MigrationFigures[]): FlavorAggregate[] {
  const groups = new Map<string, MigrationFigures[]>();
  for (const m of migrations) groups.set(m.flavorName, [...(groups.get(m.flavorName) ?? []), m]);
  return [...groups.entries()]
    .map(([flavor, rows]) => ({
      flavor,
      ramMiB: rows[0].flavorRamMiB,
      n: rows.length,
      figures: Object.fromEntries(
        AGGREGATED_FIGURES.map((f) => [
          f,
          distribution(rows.map((r) => r[f]).filter((v): v is number => v !== null && Number.isFinite(v))),
        ]),
      ) as Record<AggregatedFigure, Distribution>,
    }))
    .sort((a, b) => a.ramMiB - b.ramMiB || a.flavor.localeCompare(b.flavor));
}
