import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, In, IsNull, LessThanOrEqual, MoreThanOrEqual, Not, type FindOptionsWhere, type Repository } from 'typeorm';
import { HostEntity } from '../../inventory/hosts/host.entity';
import { LiveMigrationEntity } from '../../migration/records/live-migration.entity';
import { toChartInput } from './chart-input';
import { aggregateByFlavor, type FlavorAggregate, type MigrationFigures } from './flavor-aggregates';
import { renderMigrationChart } from './migration-chart';
import type { FlavorReportQueryDto } from './report.dto';
import { renderReportPage } from './report-page';

/** Migrations the report page draws, newest finished first. */
export const REPORT_PAGE_MIGRATIONS = 10;

/** Reads the stored migration reports: one migration side by side, or per flavor. */
@Injectable()
export class ReportsService {
  constructor(@InjectRepository(LiveMigrationEntity) private readonly migrations: Repository<LiveMigrationEntity>) {}

  async migrationReport(id: string) {
    const m = await this.migrations.findOne({ where: { id }, select: reportColumns() });
    if (!m) throw new NotFoundException({ message: `migration ${id} not found`, details: { id } });
    return {
      migrationId: m.id,
      instanceName: m.instanceName,
      flavorName: m.flavorName,
      state: m.state,
      reportState: m.reportState,
      reportError: m.reportError,
      // eastWestMs: the prober on the tenant network; northSouthMs: the external network to the floating IP.
      downtime: {
        networkMs: m.netDowntimeMs,
        lossMethodMs: m.netDowntimeLossMs,
        hypervisorMs: m.hvDowntimeMs,
        eastWestMs: m.netDowntimeMs,
        northSouthMs: m.nsDowntimeMs,
      },
      totalTime: { networkMs: m.netTotalMigrationTimeMs, hypervisorMs: m.hvTotalTimeMs, predictedMs: m.predTotalTimeMs },
      data: { networkPayloadBytes: m.netPayloadBytes, hypervisorDataProcessedBytes: m.hvDataProcessedBytes },
      network: {
        totalMigrationTimeMs: m.netTotalMigrationTimeMs,
        payloadBytes: m.netPayloadBytes,
        throughputMbps: m.netThroughputMbps,
        downtimeMs: m.netDowntimeMs,
        downtimeLossMs: m.netDowntimeLossMs,
        lossPct: m.netLossPct,
        jitterMs: m.netJitterMs,
        rttAvgMs: m.netRttAvgMs,
        maxReplyGapMs: m.netMaxReplyGapMs,
        probeIntervalMs: m.netProbeIntervalMs,
        northSouthDowntimeMs: m.nsDowntimeMs,
        northSouthLossPct: m.nsLossPct,
        networkConvergenceMs: m.networkConvergenceMs,
      },
      networkSteps: m.networkSteps ?? [],
      hypervisor: {
        hvTotalTimeMs: m.hvTotalTimeMs,
        hvDowntimeMs: m.hvDowntimeMs,
        hvSetupTimeMs: m.hvSetupTimeMs,
        hvDataProcessedBytes: m.hvDataProcessedBytes,
        hvIterations: m.hvIterations,
        hvDirtyRatePagesPerSec: m.hvDirtyRatePagesPerSec,
      },
      prediction: {
        iterations: m.predIterations,
        totalTimeMs: m.predTotalTimeMs,
        downtimeMs: m.predDowntimeMs,
        converges: m.predConverges,
        // Against the hypervisor's total time; the network-observed time is in detail for reference.
        totalTimeError: m.predTotalTimeErrorRatio,
        detail: m.precopyPrediction,
      },
      detail: m.report,
    };
  }

  async flavorAggregates(query: FlavorReportQueryDto): Promise<FlavorAggregate[]> {
    const where: FindOptionsWhere<LiveMigrationEntity> = { state: 'completed' };
    if (query.from && query.to) where.finishedAt = Between(query.from, query.to);
    else if (query.from) where.finishedAt = MoreThanOrEqual(query.from);
    else if (query.to) where.finishedAt = LessThanOrEqual(query.to);
    const hostFilter = query.host
      ? [
          { ...where, sourceHostId: query.host },
          { ...where, destinationHostId: query.host },
        ]
      : where;
    const rows = await this.migrations.find({ where: hostFilter });
    return aggregateByFlavor(rows.map(toFigures));
  }

  /** The migration chart as SVG; 409 until its report is ready, since there is nothing to draw. */
  async migrationChart(id: string): Promise<string> {
    const m = await this.migrations.findOne({ where: { id }, select: chartColumns() });
    if (!m) throw new NotFoundException({ message: `migration ${id} not found`, details: { id } });
    if (m.reportState !== 'ready') {
      throw new ConflictException({
        message: `migration ${id} has no chart: its report is ${m.reportState}`,
        details: { id, reportState: m.reportState, reportError: m.reportError },
      });
    }
    return renderMigrationChart(toChartInput(m, await this.hostNames([m])));
  }

  /** The analyst's HTML page: the per-flavor table over all completed migrations and the recent charts. */
  async reportPage(): Promise<string> {
    const flavors = await this.flavorAggregates({});
    const recent = await this.migrations.find({
      where: { finishedAt: Not(IsNull()) },
      select: chartColumns(),
      order: { finishedAt: 'DESC', id: 'ASC' },
      take: REPORT_PAGE_MIGRATIONS,
    });
    const names = await this.hostNames(recent);
    return renderReportPage({
      generatedAt: new Date(),
      flavors,
      migrations: recent.map((m) => ({
        id: m.id,
        instanceName: m.instanceName,
        flavorName: m.flavorName,
        finishedAt: m.finishedAt,
        reportState: m.reportState,
        reportError: m.reportError,
        chart: m.reportState === 'ready' ? toChartInput(m, names) : null,
      })),
    });
  }

  private async hostNames(rows: readonly LiveMigrationEntity[]): Promise<Map<string, string>> {
    const ids = [...new Set(rows.flatMap((m) => [m.sourceHostId, m.destinationHostId]))];
    if (ids.length === 0) return new Map();
    const hosts = await this.migrations.manager.getRepository(HostEntity).find({ where: { id: In(ids) }, select: ['id', 'name'] });
    return new Map(hosts.map((h) => [h.id, h.name]));
  }
}

function toFigures(m: LiveMigrationEntity): MigrationFigures {
  return {
    flavorName: m.flavorName,
    flavorRamMiB: m.flavorRamMiB,
    totalMigrationTimeMs: m.netTotalMigrationTimeMs,
    downtimeMs: m.netDowntimeMs,
    downtimeLossMs: m.netDowntimeLossMs,
    hvDowntimeMs: m.hvDowntimeMs,
    hvTotalTimeMs: m.hvTotalTimeMs,
    lossPct: m.netLossPct,
    jitterMs: m.netJitterMs,
    rttAvgMs: m.netRttAvgMs,
  };
}

function chartColumns(): (keyof LiveMigrationEntity)[] {
  return [
    'id',
    'instanceName',
    'flavorName',
    'sourceHostId',
    'destinationHostId',
    'finishedAt',
    'reportState',
    'reportError',
    'report',
    'netDowntimeMs',
    'hvDowntimeMs',
  ];
}

function reportColumns(): (keyof LiveMigrationEntity)[] {
  return [
    'id',
    'instanceName',
    'flavorName',
    'state',
    'reportState',
    'reportError',
    'report',
    'netTotalMigrationTimeMs',
    'netPayloadBytes',
    'netThroughputMbps',
    'netDowntimeMs',
    'netDowntimeLossMs',
    'netLossPct',
    'netJitterMs',
    'netRttAvgMs',
    'netMaxReplyGapMs',
    'netProbeIntervalMs',
    'nsDowntimeMs',
    'nsLossPct',
    'networkConvergenceMs',
    'networkSteps',
    'hvTotalTimeMs',
    'hvDowntimeMs',
    'hvSetupTimeMs',
    'hvDataProcessedBytes',
    'hvIterations',
    'hvDirtyRatePagesPerSec',
    'predIterations',
    'predTotalTimeMs',
    'predDowntimeMs',
    'predConverges',
    'predTotalTimeErrorRatio',
    'precopyPrediction',
  ];
}
