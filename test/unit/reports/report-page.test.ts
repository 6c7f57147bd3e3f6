import { describe, expect, it } from 'vitest';
import { aggregateByFlavor, type MigrationFigures } from '../../../src/reports/flavor-aggregates';
import { renderReportPage, type ReportPageMigration } from '../../../src/reports/report-page';

const fig = (flavorName: string, downtimeMs: number, lossPct: number): MigrationFigures => ({
  flavorName,
  flavorRamMiB: flavorName === 'small' ? 2048 : 8192,
  totalMigrationTimeMs: 1000 + downtimeMs,
  downtimeMs,
  downtimeLossMs: null,
  northSouthDowntimeMs: downtimeMs * 2,
  hvDowntimeMs: downtimeMs / 2,
  eastWestMinusHvMs: downtimeMs / 2,
  northSouthMinusHvMs: downtimeMs * 1.5,
  hvTotalTimeMs: 900,
  lossPct,
  jitterMs: 0.125,
  rttAvgMs: 0.5,
});

const chartless = (over: Partial<ReportPageMigration>): ReportPageMigration => ({
  id: '11111111-1111-4111-8111-111111111111',
  instanceName: 'vm',
  flavorName: 'small',
  finishedAt: new Date('2026-11-22T03:00:00Z'),
  state: 'completed',
  failureReason: null,
  reportState: 'failed',
  reportError: null,
  chart: null,
  timeline: null,
  pathChanges: null,
  copy: null,
  ...over,
});

const cell = (html: string, flavor: string, figure: string, stat?: string): string | undefined => {
  const row = new RegExp(`<tr data-flavor="${flavor}">(.*?)</tr>`).exec(html)?.[1] ?? '';
  const sel = stat ? `data-figure="${figure}" data-stat="${stat}"` : `data-figure="${figure}"`;
  return new RegExp(`<td ${sel}>([^<]*)</td>`).exec(row)?.[1];
};

describe('renderReportPage', () => {
  const flavors = aggregateByFlavor([fig('small', 100, 2), fig('small', 300, 4), fig('large', 50, 0)]);

  it('shows the per-flavor figures: n, mean, p50, p95, max', () => {
    const html = renderReportPage({ generatedAt: new Date(0), flavors, migrations: [] });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(cell(html, 'small', 'n')).toBe('2');
    expect(cell(html, 'small', 'downtimeMs', 'mean')).toBe('200.0');
    expect(cell(html, 'small', 'downtimeMs', 'p50')).toBe('100.0');
    expect(cell(html, 'small', 'downtimeMs', 'max')).toBe('300.0');
    expect(cell(html, 'small', 'hvDowntimeMs', 'mean')).toBe('100.0');
    expect(cell(html, 'small', 'lossPct', 'mean')).toBe('3.00');
    expect(cell(html, 'small', 'totalMigrationTimeMs', 'p95')).toBe('1300.0');
    expect(cell(html, 'large', 'jitterMs', 'p95')).toBe('0.125');
    // Smallest RAM first, as in GET /reports/flavors.
    expect(html.indexOf('data-flavor="small"')).toBeLessThan(html.indexOf('data-flavor="large"'));
    expect(html).toContain('no migrations yet');
  });

  it('escapes names and errors, and says why a migration has no chart', () => {
    const evil = aggregateByFlavor([fig('<b>x</b>', 1, 0)]);
    const html = renderReportPage({
      generatedAt: new Date(0),
      flavors: evil,
      migrations: [chartless({ instanceName: '<img src=x onerror=alert(1)>', reportError: 'tcpdump "exited" <1>' })],
    });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('no chart: report failed: tcpdump &quot;exited&quot; &lt;1&gt;');
  });

  it('says so when nothing completed', () => {
    expect(renderReportPage({ generatedAt: new Date(0), flavors: [], migrations: [] })).toContain('no completed migrations');
  });
});
