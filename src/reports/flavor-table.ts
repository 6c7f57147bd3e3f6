import { AGGREGATED_FIGURES, type FlavorAggregate } from './flavor-aggregates';

const fixed = (v: number | null, digits = 1): string => (v === null ? '—' : v.toFixed(digits));

/** The thesis's Table 3 as it stands: flavor, packet loss, average RTT, downtime (means). */
export function formatTable3(rows: readonly FlavorAggregate[]): string {
  const header = ['Flavor', 'Packet loss (%)', 'Avg RTT (ms)', 'Downtime (ms)'];
  const body = rows.map((r) => [
    r.flavor,
    fixed(r.figures.lossPct.mean, 2),
    fixed(r.figures.rttAvgMs.mean, 3),
    fixed(r.figures.downtimeMs.mean, 1),
  ]);
  return alignColumns([header, ...body]);
}

/** Every aggregated figure: n, then mean, p50, p95 and max per column group. */
export function formatFlavorTable(rows: readonly FlavorAggregate[]): string {
  const header = ['flavor', 'n', ...AGGREGATED_FIGURES.flatMap((f) => [`${f} mean`, 'p50', 'p95', 'max'])];
  const body = rows.map((r) => [
    r.flavor,
    String(r.n),
    ...AGGREGATED_FIGURES.flatMap((f) => {
      const d = r.figures[f];
      return [fixed(d.mean), fixed(d.p50), fixed(d.p95), fixed(d.max)];
    }),
  ]);
  return alignColumns([header, ...body]);
}

/**
 * A compact terminal table: per flavor, the hypervisor's downtime beside east-west and north-south (means, p95 in
 * brackets), then what each path adds to the pause (network − hypervisor) at p50 and p95.
 */
export function formatFlavorSummary(rows: readonly FlavorAggregate[]): string {
  const header = [
    'flavor',
    'n',
    'total ms',
    'hv downtime ms',
    'east-west ms',
    'north-south ms',
    'ew − hv p50',
    'ew − hv p95',
    'ns − hv p50',
    'ns − hv p95',
    'mtr ms',
    'loss %',
    'avg RTT ms',
  ];
  const cell = (r: FlavorAggregate, f: keyof FlavorAggregate['figures']) => {
    const d = r.figures[f];
    return d.mean === null ? '—' : `${fixed(d.mean)} (${fixed(d.p95)})`;
  };
  const body = rows.map((r) => [
    r.flavor,
    String(r.n),
    cell(r, 'totalMigrationTimeMs'),
    cell(r, 'hvDowntimeMs'),
    cell(r, 'downtimeMs'),
    cell(r, 'northSouthDowntimeMs'),
    fixed(r.figures.eastWestMinusHvMs.p50),
    fixed(r.figures.eastWestMinusHvMs.p95),
    fixed(r.figures.northSouthMinusHvMs.p50),
    fixed(r.figures.northSouthMinusHvMs.p95),
    cell(r, 'downtimeLossMs'),
    cell(r, 'lossPct'),
    cell(r, 'rttAvgMs'),
  ]);
  return alignColumns([header, ...body]);
}

export function flavorCsv(rows: readonly FlavorAggregate[]): string {
  const header = [
    'flavor',
    'ramMiB',
    'n',
    ...AGGREGATED_FIGURES.flatMap((f) => [`${f}.n`, `${f}.mean`, `${f}.p50`, `${f}.p95`, `${f}.max`]),
  ];
  const lines = rows.map((r) =>
    [
      csvCell(r.flavor),
      r.ramMiB,
      r.n,
      ...AGGREGATED_FIGURES.flatMap((f) => {
        const d = r.figures[f];
        return [d.n, d.mean ?? '', d.p50 ?? '', d.p95 ?? '', d.max ?? ''];
      }),
    ].join(','),
  );
  return [header.join(','), ...lines].join('\n') + '\n';
}

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function alignColumns(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n') + '\n';
}
