import { ConflictException, NotFoundException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import type { ChartRow, FiguresRow, ReportRow } from '../../../src/reports/repositories/report-columns';
import type { ReportHostsRepository } from '../../../src/reports/repositories/report-hosts.repository';
import type { CompletedMigrationFilter, ReportMigrationsRepository } from '../../../src/reports/repositories/report-migrations.repository';
import { REPORT_PAGE_MIGRATIONS, ReportsService } from '../../../src/reports/reports.service';
import { completedMigrationRow } from '../../support/api/migration-row';

// The service on fakes of its two repositories: no database, only what the service decides.

const HOSTS = ['a0000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000002'];
const row = (n: number, over: Partial<ChartRow & ReportRow & FiguresRow> = {}) =>
  completedMigrationRow(n, HOSTS, {
    reportState: 'none',
    reportError: null,
    report: null,
    netDowntimeMs: null,
    hvDowntimeMs: null,
    ...over,
  }) as ChartRow & ReportRow & FiguresRow;

class FakeMigrations implements Pick<ReportMigrationsRepository, keyof ReportMigrationsRepository> {
  filters: CompletedMigrationFilter[] = [];
  limits: number[] = [];
  constructor(private readonly rows: (ChartRow & ReportRow & FiguresRow)[]) {}
  findReport(id: string) {
    return Promise.resolve(this.rows.find((r) => r.id === id) ?? null);
  }
  findChart(id: string) {
    return this.findReport(id);
  }
  recentlyFinished(limit: number) {
    this.limits.push(limit);
    return Promise.resolve(this.rows.slice(0, limit));
  }
  switchoverPhases() {
    return Promise.resolve(new Map());
  }
  completed(filter: CompletedMigrationFilter) {
    this.filters.push(filter);
    return Promise.resolve(this.rows.filter((r) => r.state === 'completed'));
  }
}

class FakeHosts implements Pick<ReportHostsRepository, keyof ReportHostsRepository> {
  asked: string[][] = [];
  namesById(ids: readonly string[]) {
    this.asked.push([...ids]);
    return Promise.resolve(new Map([[HOSTS[0], 'compute-a']]));
  }
}

function service(rows: (ChartRow & ReportRow & FiguresRow)[]) {
  const migrations = new FakeMigrations(rows);
  const hosts = new FakeHosts();
  const reports = new ReportsService(migrations as unknown as ReportMigrationsRepository, hosts as unknown as ReportHostsRepository);
  return { reports, migrations, hosts };
}

describe('ReportsService', () => {
  it('answers 404 for an unknown migration, for the report and the chart alike', async () => {
    const { reports } = service([]);
    await expect(reports.migrationReport(row(9).id)).rejects.toBeInstanceOf(NotFoundException);
    await expect(reports.migrationChart(row(9).id)).rejects.toBeInstanceOf(NotFoundException);
  });

  it('answers 409 with the report state while there is nothing to draw', async () => {
    const { reports, hosts } = service([row(1, { reportState: 'failed', reportError: 'no capture' })]);
    const err = await reports.migrationChart(row(1).id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictException);
    expect((err as ConflictException).getResponse()).toMatchObject({ details: { reportState: 'failed', reportError: 'no capture' } });
    expect(hosts.asked).toEqual([]);
  });

  it('labels a ready chart with host names, keeping the id of a host that is gone', async () => {
    const { reports, hosts } = service([row(1, { reportState: 'ready', instanceName: 'web-1' })]);
    const svg = await reports.migrationChart(row(1).id);
    expect(svg).toContain('compute-a');
    expect(svg).toContain(HOSTS[1]);
    expect(hosts.asked).toEqual([HOSTS]);
  });

  it('passes the time range and host of the query to the repository as a filter', async () => {
    const { reports, migrations } = service([row(1, { netDowntimeMs: 100 }), row(2, { state: 'failed', netDowntimeMs: 900 })]);
    const from = new Date('2026-11-01T00:00:00Z');
    const [small] = await reports.flavorAggregates({ from, host: HOSTS[0] });
    expect(migrations.filters).toEqual([{ from, to: undefined, hostId: HOSTS[0] }]);
    expect(small).toMatchObject({ flavor: 'm1.small', n: 1, figures: { downtimeMs: { mean: 100 } } });
  });

  it('draws the page from the recent migrations, charts only for ready reports', async () => {
    const { reports, migrations } = service([row(1, { reportState: 'ready' }), row(2)]);
    const html = await reports.reportPage();
    expect(migrations.limits).toEqual([REPORT_PAGE_MIGRATIONS]);
    expect(migrations.filters).toEqual([{ from: undefined, to: undefined, hostId: undefined }]);
    expect(html.match(/<svg /g)).toHaveLength(1);
    expect(html).toContain('no chart: report none');
  });

  it('shows one migration with east-west and north-south downtime side by side', async () => {
    const { reports } = service([row(1, { netDowntimeMs: 120, northSouthDowntimeMs: 310, northSouthLossPct: 2 })]);
    const view = await reports.migrationReport(row(1).id);
    expect(view.downtime).toMatchObject({ networkMs: 120, eastWestMs: 120, northSouthMs: 310 });
    expect(view.network).toMatchObject({ northSouthDowntimeMs: 310, northSouthLossPct: 2 });
    expect(view.networkSteps).toEqual([]);
  });
});
