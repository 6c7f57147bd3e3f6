import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Not, type FindOptionsWhere, type Repository } from 'typeorm';
import type { Transaction } from '../../common/repositories/transactions';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { TERMINAL_STATES, type MigrationState } from '../migration-phase';
import { LiveMigrationEntity } from '../records/live-migration.entity';
import { MigrationPhaseEntity } from '../records/migration-phase.entity';
import { MigrationSampleEntity } from '../records/migration-sample.entity';

type RequiredOnInsert =
  | 'id'
  | 'instanceId'
  | 'instanceName'
  | 'domainName'
  | 'flavorName'
  | 'flavorRamMiB'
  | 'sourceHostId'
  | 'destinationHostId'
  | 'state'
  | 'policyName'
  | 'policy';
/** A new record: who moves where under which policy; every figure starts empty. */
export type NewLiveMigration = Pick<LiveMigrationEntity, RequiredOnInsert> & Partial<Omit<LiveMigrationEntity, RequiredOnInsert>>;
export type SampleRow = Omit<MigrationSampleEntity, 'id'>;
export interface MigrationFilter {
  state?: MigrationState;
  instanceId?: string;
  /** Either end of the migration. */
  hostId?: string;
}

/** The live-migration aggregate: the record with its phases, samples and convergence events. */
@Injectable()
export class LiveMigrationsRepository {
  constructor(
    @InjectRepository(LiveMigrationEntity) private readonly migrations: Repository<LiveMigrationEntity>,
    @InjectRepository(MigrationPhaseEntity) private readonly phases: Repository<MigrationPhaseEntity>,
    @InjectRepository(MigrationSampleEntity) private readonly samples: Repository<MigrationSampleEntity>,
  ) {}

  /** The same API inside a transaction opened by `Transactions.run`. */
  inTransaction(tx: Transaction): LiveMigrationsRepository {
    return new LiveMigrationsRepository(
      tx.manager.getRepository(LiveMigrationEntity),
      tx.manager.getRepository(MigrationPhaseEntity),
      tx.manager.getRepository(MigrationSampleEntity),
    );
  }

  findById(id: string): Promise<LiveMigrationEntity | null> {
    return this.migrations.findOneBy({ id });
  }

  getById(id: string): Promise<LiveMigrationEntity> {
    return this.migrations.findOneByOrFail({ id });
  }

  insert(fields: NewLiveMigration): Promise<LiveMigrationEntity> {
    return this.migrations.save(this.migrations.create(fields));
  }

  async update(id: string, changes: Partial<LiveMigrationEntity>): Promise<void> {
    await this.migrations.update({ id }, changes as QueryDeepPartialEntity<LiveMigrationEntity>);
  }

  /** The instance's migration that has not ended, if any. */
  findUnfinishedOfInstance(instanceId: string): Promise<LiveMigrationEntity | null> {
    return this.migrations.findOneBy({ instanceId, state: Not(In([...TERMINAL_STATES])) });
  }

  /** Every migration that has not ended, oldest first. */
  findUnfinished(): Promise<LiveMigrationEntity[]> {
    return this.migrations.find({ where: { state: Not(In([...TERMINAL_STATES])) }, order: { createdAt: 'ASC' } });
  }

  /** Newest first, one page. */
  list(filter: MigrationFilter, page: { skip: number; take: number }): Promise<[LiveMigrationEntity[], number]> {
    const base: FindOptionsWhere<LiveMigrationEntity> = {};
    if (filter.state) base.state = filter.state;
    if (filter.instanceId) base.instanceId = filter.instanceId;
    const where = filter.hostId
      ? [
          { ...base, sourceHostId: filter.hostId },
          { ...base, destinationHostId: filter.hostId },
        ]
      : base;
    return this.migrations.findAndCount({ where, order: { createdAt: 'DESC' }, ...page });
  }

  /** The instance's last completed migration (id and end only). */
  lastCompletedOf(instanceId: string): Promise<Pick<LiveMigrationEntity, 'id' | 'finishedAt'> | null> {
    return this.migrations.findOne({
      where: { instanceId, state: 'completed' },
      select: { id: true, finishedAt: true },
      order: { finishedAt: 'DESC' },
    });
  }

  /** The hypervisor's setup times of the host's latest completed outbound migrations, newest first. */
  async recentSetupTimesMs(sourceHostId: string, take: number): Promise<number[]> {
    const rows = await this.migrations.find({
      where: { sourceHostId, state: 'completed', hvSetupTimeMs: Not(IsNull()) },
      select: { id: true, hvSetupTimeMs: true },
      order: { finishedAt: 'DESC' },
      take,
    });
    return rows.map((r) => r.hvSetupTimeMs).filter((v): v is number => v !== null);
  }

  /** The host's latest completed outbound migrations: the best rate sampled in each, with its events (which say the channels). */
  async recentPeakBandwidths(
    sourceHostId: string,
    take: number,
  ): Promise<{ peakBytesPerSec: number; convergenceEvents: LiveMigrationEntity['convergenceEvents'] }[]> {
    const rows = await this.migrations.find({
      where: { sourceHostId, state: 'completed' },
      select: { id: true, convergenceEvents: true },
      order: { finishedAt: 'DESC' },
      take,
    });
    const out: { peakBytesPerSec: number; convergenceEvents: LiveMigrationEntity['convergenceEvents'] }[] = [];
    for (const row of rows) {
      const top = await this.samples.findOne({
        where: { migrationId: row.id, bandwidthBytesPerSec: Not(IsNull()) },
        order: { bandwidthBytesPerSec: 'DESC' },
      });
      if (top?.bandwidthBytesPerSec) out.push({ peakBytesPerSec: top.bandwidthBytesPerSec, convergenceEvents: row.convergenceEvents });
    }
    return out;
  }

  addPhase(migrationId: string, phase: MigrationState, enteredAt: Date, detail: string | null): Promise<unknown> {
    return this.phases.insert({ migrationId, phase, enteredAt, detail });
  }

  phasesOf(migrationId: string): Promise<MigrationPhaseEntity[]> {
    return this.phases.find({ where: { migrationId }, order: { enteredAt: 'ASC', id: 'ASC' } });
  }

  addSample(sample: SampleRow): Promise<unknown> {
    return this.samples.insert(sample);
  }

  samplesOf(migrationId: string): Promise<MigrationSampleEntity[]> {
    return this.samples.find({ where: { migrationId }, order: { elapsedMs: 'ASC' } });
  }

  countSamples(migrationId: string): Promise<number> {
    return this.samples.countBy({ migrationId });
  }

  /** The most data processed while libvirt still reported the given iteration. */
  async peakProcessedInIteration(migrationId: string, memoryIteration: number): Promise<number | null> {
    const sample = await this.samples.findOne({
      where: { migrationId, memoryIteration, dataProcessedBytes: Not(IsNull()) },
      order: { dataProcessedBytes: 'DESC' },
    });
    return sample?.dataProcessedBytes ?? null;
  }
}
