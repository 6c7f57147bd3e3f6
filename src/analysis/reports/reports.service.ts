import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, LessThanOrEqual, MoreThanOrEqual, type FindOptionsWhere, type Repository } from 'typeorm';
import { LiveMigrationEntity } from '../../migration/records/live-migration.entity';
import { aggregateByFlavor, type FlavorAggregate, type MigrationFigures } from './flavor-aggregates';
import type { FlavorReportQueryDto } from './report.dto';

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
      downtime: { networkMs: m.netDowntimeMs, lossMethodMs: m.netDowntimeLossMs, hypervisorMs: m.hvDowntimeMs },
      totalTime: { networkMs: m.netTotalMigrationTimeMs, hypervisorMs: m.hvTotalTimeMs },
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
      },
      hypervisor: {
        hvTotalTimeMs: m.hvTotalTimeMs,
        hvDowntimeMs: m.hvDowntimeMs,
        hvSetupTimeMs: m.hvSetupTimeMs,
        hvDataProcessedBytes: m.hvDataProcessedBytes,
        hvIterations: m.hvIterations,
        hvDirtyRatePagesPerSec: m.hvDirtyRatePagesPerSec,
      },
      detail: m.report,
    };
  }

  async flavorAggregates(query: FlavorReportQueryDto): Promise<FlavorAggregate[]> {
    const where: FindOptionsWhere<LiveMigrationEntity> = { state: 'completed' };
    if (query.from && query.to) where.finishedAt = Between(query.from, query.to);
    else if (query.from) where.finishedAt = MoreThanOrEqual(query.from);
    else if (query.to) where.finishedAt = LessThanOrEqual(query.to);
    const hostFilter = query.host ? [{ ...where, sourceHostId: query.host }, { ...where, destinationHostId: query.host }] : where;
    const rows = await this.migrations.find({ where: hostFilter });
    return aggregateByFlavor(rows.map(toFigures));
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

function reportColumns(): (keyof LiveMigrationEntity)[] {
  return [
    'id', 'instanceName', 'flavorName', 'state', 'reportState', 'reportError', 'report',
    'netTotalMigrationTimeMs', 'netPayloadBytes', 'netThroughputMbps', 'netDowntimeMs', 'netDowntimeLossMs', 'netLossPct',
    'netJitterMs', 'netRttAvgMs', 'netMaxReplyGapMs', 'netProbeIntervalMs',
    'hvTotalTimeMs', 'hvDowntimeMs', 'hvSetupTimeMs', 'hvDataProcessedBytes', 'hvIterations', 'hvDirtyRatePagesPerSec',
  ];
}
