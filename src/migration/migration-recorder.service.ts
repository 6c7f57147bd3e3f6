import { Injectable } from '@nestjs/common';
import { MigrationEventBus } from './migration-events';
import { isTerminal, type MigrationState } from './migration-phase';
import type { ConvergenceEvent, LiveMigrationEntity } from './records/live-migration.entity';
import type { MigrationSampleEntity } from './records/migration-sample.entity';
import { LiveMigrationsRepository } from './repositories/live-migrations.repository';

export type SampleFigures = Omit<MigrationSampleEntity, 'id' | 'migrationId' | 'sampledAt'>;

/** Persists what happens to a migration and publishes it for live subscribers. */
@Injectable()
export class MigrationRecorder {
  constructor(
    private readonly migrations: LiveMigrationsRepository,
    private readonly bus: MigrationEventBus,
  ) {}

  async enterPhase(migration: LiveMigrationEntity, phase: MigrationState, detail: string | null = null, at = new Date()): Promise<void> {
    migration.state = phase;
    const changes: Partial<LiveMigrationEntity> = { state: phase };
    if (phase === 'pre-migration' && !migration.startedAt) changes.startedAt = migration.startedAt = at;
    if (isTerminal(phase)) changes.finishedAt = migration.finishedAt = at;
    if (isTerminal(phase) && detail && phase !== 'completed') changes.failureReason = migration.failureReason = detail;
    await this.migrations.update(migration.id, changes);
    await this.migrations.addPhase(migration.id, phase, at, detail);
    this.published(migration.id, phase, at, detail);
  }

  /** Tells live subscribers about a phase already stored (for instance in a transaction). */
  published(migrationId: string, phase: MigrationState, at: Date, detail: string | null): void {
    this.bus.publish({ migrationId, type: 'phase', data: { phase, enteredAt: at.toISOString(), detail } });
  }

  async addSample(migrationId: string, figures: SampleFigures, at = new Date()): Promise<void> {
    await this.migrations.addSample({ ...figures, migrationId, sampledAt: at });
    this.bus.publish({ migrationId, type: 'sample', data: { ...figures } });
  }

  async addConvergenceEvent(migration: LiveMigrationEntity, event: ConvergenceEvent): Promise<void> {
    migration.convergenceEvents = [...migration.convergenceEvents, event];
    await this.migrations.update(migration.id, {
      convergenceEvents: migration.convergenceEvents,
      maxDowntimeMs: migration.maxDowntimeMs,
    });
    this.bus.publish({
      migrationId: migration.id,
      type: 'convergence',
      data: { atMs: event.atMs, action: event.action, outcome: event.outcome, detail: event.detail },
    });
  }

  async save(migration: LiveMigrationEntity, changes: Partial<LiveMigrationEntity>): Promise<void> {
    Object.assign(migration, changes);
    await this.migrations.update(migration.id, changes);
  }
}
