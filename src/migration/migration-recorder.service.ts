import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { MigrationEventBus } from './migration-events';
import { isTerminal, type MigrationState } from './migration-phase';
import { LiveMigrationEntity, type ConvergenceEvent } from './records/live-migration.entity';
import { MigrationPhaseEntity } from './records/migration-phase.entity';
import { MigrationSampleEntity } from './records/migration-sample.entity';

export type SampleFigures = Omit<MigrationSampleEntity, 'id' | 'migrationId' | 'sampledAt'>;

/** Persists what happens to a migration and publishes it for live subscribers. */
@Injectable()
export class MigrationRecorder {
  constructor(
    @InjectRepository(LiveMigrationEntity) private readonly migrations: Repository<LiveMigrationEntity>,
    @InjectRepository(MigrationPhaseEntity) private readonly phases: Repository<MigrationPhaseEntity>,
    @InjectRepository(MigrationSampleEntity) private readonly samples: Repository<MigrationSampleEntity>,
    private readonly bus: MigrationEventBus,
  ) {}

  async enterPhase(migration: LiveMigrationEntity, phase: MigrationState, detail: string | null = null, at = new Date()): Promise<void> {
    migration.state = phase;
    const changes: Partial<LiveMigrationEntity> = { state: phase };
    if (phase === 'pre-migration' && !migration.startedAt) changes.startedAt = migration.startedAt = at;
    if (isTerminal(phase)) changes.finishedAt = migration.finishedAt = at;
    if (isTerminal(phase) && detail && phase !== 'completed') changes.failureReason = migration.failureReason = detail;
    await this.migrations.update({ id: migration.id }, changes as QueryDeepPartialEntity<LiveMigrationEntity>);
    await this.phases.insert({ migrationId: migration.id, phase, enteredAt: at, detail });
    this.bus.publish({ migrationId: migration.id, type: 'phase', data: { phase, enteredAt: at.toISOString(), detail } });
  }

  async addSample(migrationId: string, figures: SampleFigures, at = new Date()): Promise<void> {
    await this.samples.insert({ ...figures, migrationId, sampledAt: at });
    this.bus.publish({ migrationId, type: 'sample', data: { ...figures } });
  }

  async addConvergenceEvent(migration: LiveMigrationEntity, event: ConvergenceEvent): Promise<void> {
    migration.convergenceEvents = [...migration.convergenceEvents, event];
    await this.migrations.update({ id: migration.id }, {
      convergenceEvents: migration.convergenceEvents,
      maxDowntimeMs: migration.maxDowntimeMs,
    } as QueryDeepPartialEntity<LiveMigrationEntity>);
    this.bus.publish({
      migrationId: migration.id,
      type: 'convergence',
      data: { atMs: event.atMs, action: event.action, outcome: event.outcome, detail: event.detail },
    });
  }

  async save(migration: LiveMigrationEntity, changes: Partial<LiveMigrationEntity>): Promise<void> {
    Object.assign(migration, changes);
    await this.migrations.update({ id: migration.id }, changes as QueryDeepPartialEntity<LiveMigrationEntity>);
  }
}
