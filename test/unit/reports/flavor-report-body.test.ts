import { describe, expect, it } from 'vitest';
import { aggregateByFlavor } from '../../../src/reports/flavor-aggregates';
import { flavorReportBody } from '../../../src/reports/flavor-report-body';
import { flavorCsv, formatFlavorSummary, formatFlavorTable, formatTable3 } from '../../../src/reports/flavor-table';

const rows = aggregateByFlavor([
  {
    flavorName: 'm1.small',
    flavorRamMiB: 2048,
    totalMigrationTimeMs: 3000,
    downtimeMs: 200,
    downtimeLossMs: 210,
    northSouthDowntimeMs: 260,
    hvDowntimeMs: 52,
    eastWestMinusHvMs: 148,
    northSouthMinusHvMs: 208,
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

describe('formatFlavorSummary', () => {
  it('sets the hypervisor beside both paths and prints network − hypervisor at p50 and p95', () => {
    const text = formatFlavorSummary(rows);
    const [header, , line] = text.split('\n');
    expect(header.split(/\s{2,}/)).toEqual([
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
    ]);
    expect(line.split(/\s{2,}/)).toEqual([
      'm1.small',
      '1',
      '3000.0 (3000.0)',
      '52.0 (52.0)',
      '200.0 (200.0)',
      '260.0 (260.0)',
      '148.0',
      '148.0',
      '208.0',
      '208.0',
      '210.0 (210.0)',
      '5.0 (5.0)',
      '0.6 (0.6)',
    ]);
  });
});
