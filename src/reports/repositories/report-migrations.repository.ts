import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, In, IsNull, LessThanOrEqual, MoreThanOrEqual, Not, type FindOptionsWhere, type Repository } from 'typeorm';
import { LiveMigrationEntity } from '../../migration/records/live-migration.entity';
import { MigrationPhaseEntity } from '../../migration/records/migration-phase.entity';
import type { SwitchoverPhase } from '../switchover-view';
import { CHART_COLUMNS, FIGURE_COLUMNS, REPORT_COLUMNS, type ChartRow, type FiguresRow, type ReportRow } from './report-columns';

/** Completed migrations finished within [from, to] (either end open), touching `hostId` as source or destination. */
export interface CompletedMigrationFilter {
  from?: Date;
  to?: Date;
  hostId?: string;
}

/** The migration records as the reports read them: narrow, read-only queries. */
@Injectable()
export class ReportMigrationsRepository {
  constructor(
    @InjectRepository(LiveMigrationEntity) private readonly migrations: Repository<LiveMigrationEntity>,
    @InjectRepository(MigrationPhaseEntity) private readonly phases: Repository<MigrationPhaseEntity>,
  ) {}

  /** When each migration entered its switchover (the first time), with the phase's detail. */
  async switchoverPhases(ids: readonly string[]): Promise<Map<string, SwitchoverPhase>> {
    const out = new Map<string, SwitchoverPhase>();
    if (ids.length === 0) return out;
    const rows = await this.phases.find({
      where: { migrationId: In([...new Set(ids)]), phase: 'switchover' },
      select: ['migrationId', 'enteredAt', 'detail'],
      order: { enteredAt: 'ASC', id: 'ASC' },
    });
    for (const r of rows) if (!out.has(r.migrationId)) out.set(r.migrationId, { enteredAt: r.enteredAt, detail: r.detail });
    return out;
  }

  findReport(id: string): Promise<ReportRow | null> {
    return this.migrations.findOne({ where: { id }, select: [...REPORT_COLUMNS] });
  }

  findChart(id: string): Promise<ChartRow | null> {
    return this.migrations.findOne({ where: { id }, select: [...CHART_COLUMNS] });
  }

  /** The `limit` most recently finished migrations, whatever their end state. */
  recentlyFinished(limit: number): Promise<ChartRow[]> {
    return this.migrations.find({
      where: { finishedAt: Not(IsNull()) },
      select: [...CHART_COLUMNS],
      order: { finishedAt: 'DESC', id: 'ASC' },
      take: limit,
    });
  }

  completed(filter: CompletedMigrationFilter): Promise<FiguresRow[]> {
    const where: FindOptionsWhere<LiveMigrationEntity> = { state: 'completed' };
    if (filter.from && filter.to) where.finishedAt = Between(filter.from, filter.to);
    else if (filter.from) where.finishedAt = MoreThanOrEqual(filter.from);
    else if (filter.to) where.finishedAt = LessThanOrEqual(filter.to);
    const byHost = filter.hostId
      ? [
          { ...where, sourceHostId: filter.hostId },
          { ...where, destinationHostId: filter.hostId },
        ]
      : where;
    return this.migrations.find({ where: byHost, select: [...FIGURE_COLUMNS] });
  }
}
