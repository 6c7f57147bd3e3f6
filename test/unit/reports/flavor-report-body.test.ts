import { describe, expect, it } from 'vitest';
import { aggregateByFlavor } from '../../../src/reports/flavor-aggregates';
import { flavorReportBody } from '../../../src/reports/flavor-report-body';
import { flavorCsv, formatFlavorTable, formatTable3 } from '../../../src/reports/flavor-table';

const rows = aggregateByFlavor([
  {
    flavorName: 'm1.small',
    flavorRamMiB: 2048,
    totalMigrationTimeMs: 3000,
    downtimeMs: 200,
    downtimeLossMs: 210,
    hvDowntimeMs: 52,
    hvTotalTimeMs: 2900,
    lossPct: 5,
    jitterMs: 0.5,
    rttAvgMs: 0.6,
  },
]);

describe('flavorReportBody', () => {
  it('keeps JSON for the framework and is JSON when no format is asked', () => {
    expect(flavorReportBody(rows)).toEqual({ contentType: null, body: { flavors: rows } });
    expect(flavorReportBody(rows, 'json')).toEqual(flavorReportBody(rows));
  });

  it.each([
    ['csv', 'text/csv', flavorCsv(rows)],
    ['table', 'text/plain', formatFlavorTable(rows)],
    ['table3', 'text/plain', formatTable3(rows)],
  ] as const)('renders %s as %s', (format, contentType, body) => {
    expect(flavorReportBody(rows, format)).toEqual({ contentType, body });
  });
});
