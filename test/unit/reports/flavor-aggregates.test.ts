import { describe, expect, it } from 'vitest';
import { aggregateByFlavor, type MigrationFigures } from '../../../src/reports/flavor-aggregates';
import { flavorCsv, formatTable3 } from '../../../src/reports/flavor-table';

const row = (
  flavorName: string,
  flavorRamMiB: number,
  downtimeMs: number | null,
  extra: Partial<MigrationFigures> = {},
): MigrationFigures => ({
  flavorName,
  flavorRamMiB,
  totalMigrationTimeMs: 1000,
  downtimeMs,
  downtimeLossMs: null,
  northSouthDowntimeMs: null,
  hvDowntimeMs: 50,
  eastWestMinusHvMs: null,
  northSouthMinusHvMs: null,
  hvTotalTimeMs: 900,
  lossPct: 2,
  jitterMs: 0.5,
  rttAvgMs: 0.4,
  ...extra,
});

describe('aggregateByFlavor', () => {
  it('gives n, mean, nearest-rank p50/p95 and max per flavor, smallest RAM first', () => {
    const rows = [...[10, 20, 30, 40, 100].map((d) => row('lab.small', 512, d)), row('lab.nano', 96, 5), row('lab.nano', 96, null)];
    const [nano, small] = aggregateByFlavor(rows);
    expect(nano).toMatchObject({ flavor: 'lab.nano', ramMiB: 96, n: 2 });
    expect(nano.figures.downtimeMs).toEqual({ n: 1, mean: 5, p50: 5, p95: 5, max: 5 });
    expect(small.n).toBe(5);
    expect(small.figures.downtimeMs).toEqual({ n: 5, mean: 40, p50: 30, p95: 100, max: 100 });
    expect(small.figures.hvDowntimeMs.mean).toBe(50);
  });

  it('is empty for no migrations', () => {
    expect(aggregateByFlavor([])).toEqual([]);
  });

  it('prints the thesis Table 3 and a CSV', () => {
    const rows = aggregateByFlavor([row('m1.nano', 64, 9.6, { lossPct: 8, rttAvgMs: 2.4 })]);
    const table = formatTable3(rows);
    expect(table.split('\n')[0]).toMatch(/^Flavor\s+Packet loss \(%\)\s+Avg RTT \(ms\)\s+Downtime \(ms\)$/);
    expect(table).toMatch(/m1\.nano\s+8\.00\s+2\.400\s+9\.6/);
    const csv = flavorCsv(rows).split('\n');
    expect(csv[0].startsWith('flavor,ramMiB,n,totalMigrationTimeMs.n')).toBe(true);
    expect(csv[1].startsWith('m1.nano,64,1,1,1000')).toBe(true);
  });
});
