import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { toChartInput } from './chart-input';
import { aggregateByFlavor, type FlavorAggregate } from './flavor-aggregates';
import { toFigures } from './flavor-figures';
import { flavorReportBody, type FlavorReportBody } from './flavor-report-body';
import { renderMigrationChart } from './migration-chart';
import { toMigrationReportView, type MigrationReportView } from './migration-report-view';
import type { FlavorReportQueryDto } from './report.dto';
import { renderReportPage } from './report-page';
import type { ChartRow } from './repositories/report-columns';
import { toSwitchoverTimeline } from './switchover-view';
import { ReportHostsRepository } from './repositories/report-hosts.repository';
import { ReportMigrationsRepository } from './repositories/report-migrations.repository';

/** Migrations the report page draws, newest finished first. */
export const REPORT_PAGE_MIGRATIONS = 10;

/** Reads the stored migration reports: one migration side by side, or per flavor. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly migrations: ReportMigrationsRepository,
    private readonly hosts: ReportHostsRepository,
  ) {}

  async migrationReport(id: string): Promise<MigrationReportView> {
    const m = await this.migrations.findReport(id);
    if (!m) throw notFound(id);
    const phases = await this.migrations.switchoverPhases([id]);
    return toMigrationReportView(m, phases.get(id) ?? null);
  }

  async flavorAggregates(query: Pick<FlavorReportQueryDto, 'from' | 'to' | 'host'>): Promise<FlavorAggregate[]> {
    const rows = await this.migrations.completed({ from: query.from, to: query.to, hostId: query.host });
    return aggregateByFlavor(rows.map(toFigures));
  }

  /** GET /reports/flavors: the aggregates over the query's selection, in its format. */
  async flavorReport(query: FlavorReportQueryDto): Promise<FlavorReportBody> {
    return flavorReportBody(await this.flavorAggregates(query), query.format);
  }

  /** The migration chart as SVG; 409 until its report is ready, since there is nothing to draw. */
  async migrationChart(id: string): Promise<string> {
    const m = await this.migrations.findChart(id);
    if (!m) throw notFound(id);
    if (m.reportState !== 'ready') {
      throw new ConflictException({
        message: `migration ${id} has no chart: its report is ${m.reportState}`,
        details: { id, reportState: m.reportState, reportError: m.reportError },
      });
    }
    const phases = await this.migrations.switchoverPhases([id]);
    return renderMigrationChart(toChartInput(m, await this.hostNames([m]), phases.get(id) ?? null));
  }

  /** The analyst's HTML page: the per-flavor table over all completed migrations and the recent charts. */
  async reportPage(): Promise<string> {
    const flavors = await this.flavorAggregates({});
    const recent = await this.migrations.recentlyFinished(REPORT_PAGE_MIGRATIONS);
    const names = await this.hostNames(recent);
    const phases = await this.migrations.switchoverPhases(recent.map((m) => m.id));
    return renderReportPage({
      generatedAt: new Date(),
      flavors,
      migrations: recent.map((m) => {
        const phase = phases.get(m.id) ?? null;
        const ready = m.reportState === 'ready';
        return {
          id: m.id,
          instanceName: m.instanceName,
          flavorName: m.flavorName,
          finishedAt: m.finishedAt,
          state: m.state,
          failureReason: m.failureReason,
          reportState: m.reportState,
          reportError: m.reportError,
          chart: ready ? toChartInput(m, names, phase) : null,
          timeline: ready ? toSwitchoverTimeline(m, phase) : null,
          pathChanges: m.pathChanges ?? null,
          copy: m.precopyPrediction ?? null,
        };
      }),
    });
  }

  private hostNames(rows: readonly ChartRow[]): Promise<Map<string, string>> {
    return this.hosts.namesById(rows.flatMap((m) => [m.sourceHostId, m.destinationHostId]));
  }
}

function notFound(id: string): NotFoundException {
  return new NotFoundException({ message: `migration ${id} not found`, details: { id } });
}
