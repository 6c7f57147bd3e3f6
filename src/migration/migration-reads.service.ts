import { Injectable, NotFoundException } from '@nestjs/common';
import { toPage, type Page } from '../common/http/page';
import type { MigrationQueryDto } from './dto';
import type { LiveMigrationEntity } from './records/live-migration.entity';
import type { MigrationPhaseEntity } from './records/migration-phase.entity';
import type { MigrationSampleEntity } from './records/migration-sample.entity';
import { LiveMigrationsRepository } from './repositories/live-migrations.repository';

export type MigrationView = LiveMigrationEntity & { phases: MigrationPhaseEntity[]; sampleCount: number };

/** Reading migrations: lists, one record with its phases, its samples. */
@Injectable()
export class MigrationReadsService {
  constructor(private readonly migrations: LiveMigrationsRepository) {}

  async list(query: MigrationQueryDto): Promise<Page<MigrationView>> {
    const filter = { state: query.state, instanceId: query.instanceId, hostId: query.hostId };
    const [items, total] = await this.migrations.list(filter, { skip: (query.page - 1) * query.limit, take: query.limit });
    return toPage([await Promise.all(items.map((m) => this.view(m))), total], query);
  }

  async get(id: string): Promise<MigrationView> {
    return this.view(await this.record(id));
  }

  /** The stored record; 404 when there is none. */
  async record(id: string): Promise<LiveMigrationEntity> {
    const migration = await this.migrations.findById(id);
    if (!migration) throw new NotFoundException({ message: `migration ${id} not found`, details: { id } });
    return migration;
  }

  async samplesOf(id: string): Promise<MigrationSampleEntity[]> {
    await this.record(id);
    return this.migrations.samplesOf(id);
  }

  async view(migration: LiveMigrationEntity): Promise<MigrationView> {
    const [phases, sampleCount] = await Promise.all([this.migrations.phasesOf(migration.id), this.migrations.countSamples(migration.id)]);
    return Object.assign(migration, { phases, sampleCount });
  }
}
