import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Not, IsNull, type Repository } from 'typeorm';
import { HostEntity } from '../../../inventory/hosts/host.entity';
import { DrainMoveEntity } from '../../drain/drain-move.entity';
import { DrainEntity } from '../../drain/drain.entity';
import { ACTIVE_PHASES } from '../../migration-phase';
import { LiveMigrationEntity } from '../../records/live-migration.entity';
import { RebalanceRunEntity } from '../../rebalance/rebalance-run.entity';
import type { ClusterRows } from '../cluster-gauges';

export type MigrationLabelRow = Pick<LiveMigrationEntity, 'id' | 'instanceName' | 'flavorName' | 'policyName'>;
export type MigrationFigureRow = Pick<
  LiveMigrationEntity,
  'state' | 'startedAt' | 'finishedAt' | 'hvDowntimeMs' | 'netDowntimeMs' | 'northSouthDowntimeMs' | 'reportState'
>;

/** The metrics' read side of the database: narrow queries, read-only, over tables other repositories own. */
@Injectable()
export class MetricsReadsRepository {
  constructor(
    @InjectRepository(LiveMigrationEntity) private readonly migrations: Repository<LiveMigrationEntity>,
    @InjectRepository(HostEntity) private readonly hosts: Repository<HostEntity>,
    @InjectRepository(DrainEntity) private readonly drains: Repository<DrainEntity>,
    @InjectRepository(DrainMoveEntity) private readonly drainMoves: Repository<DrainMoveEntity>,
    @InjectRepository(RebalanceRunEntity) private readonly rebalanceRuns: Repository<RebalanceRunEntity>,
  ) {}

  labelsOf(id: string): Promise<MigrationLabelRow | null> {
    return this.migrations.findOne({ where: { id }, select: ['id', 'instanceName', 'flavorName', 'policyName'] });
  }

  figuresOf(id: string): Promise<MigrationFigureRow | null> {
    return this.migrations.findOne({
      where: { id },
      select: ['id', 'state', 'startedAt', 'finishedAt', 'hvDowntimeMs', 'netDowntimeMs', 'northSouthDowntimeMs', 'reportState'],
    });
  }

  /** What the cluster-wide gauges show, read fresh at each scrape. */
  async clusterRows(): Promise<ClusterRows> {
    const [active, hosts, drains, rebalanceRuns] = await Promise.all([
      this.migrations.find({ where: { state: In([...ACTIVE_PHASES]) }, select: ['id', 'state', 'sourceHostId', 'destinationHostId'] }),
      this.hosts.find({ select: ['id', 'name', 'agentEndpoint', 'agentState', 'agentLastSeenAt'] }),
      this.drains.find({ where: { state: 'running' }, select: ['id', 'hostId'] }),
      this.rebalanceRuns.find({ where: { state: 'running', finishedAt: IsNull() }, select: ['id', 'policyId', 'moves', 'results'] }),
    ]);
    const moves = drains.length
      ? await this.drainMoves.find({
          where: { drainId: In(drains.map((d) => d.id)), outcome: Not(IsNull()) },
          select: ['drainId', 'outcome'],
        })
      : [];
    return {
      activeMigrations: active,
      hosts,
      drains: drains.map((d) => ({ id: d.id, hostId: d.hostId, outcomes: moves.filter((m) => m.drainId === d.id).map((m) => m.outcome) })),
      rebalanceRuns: rebalanceRuns.map((r) => ({
        id: r.id,
        policyId: r.policyId,
        plannedMoves: r.moves.length,
        doneMoves: r.results.length,
      })),
    };
  }
}
