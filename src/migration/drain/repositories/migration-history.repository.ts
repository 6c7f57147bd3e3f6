import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { LiveMigrationEntity } from '../../records/live-migration.entity';

/** What the planners need of one completed migration. */
export interface CompletedMigration {
  instanceId: string;
  finishedAt: Date | null;
  /** libvirt's dirty rate measured before the migration, when it was predicted. */
  dirtyRateBytesPerSec: number | undefined;
}

/** The drain and rebalance planners' narrow, read-only view of the migration records. */
@Injectable()
export class MigrationHistoryRepository {
  constructor(@InjectRepository(LiveMigrationEntity) private readonly repo: Repository<LiveMigrationEntity>) {}

  async findCompleted(): Promise<CompletedMigration[]> {
    const rows = await this.repo.find({
      where: { state: 'completed' },
      select: { instanceId: true, finishedAt: true, precopyPrediction: true },
    });
    return rows.map((r) => ({
      instanceId: r.instanceId,
      finishedAt: r.finishedAt,
      dirtyRateBytesPerSec: r.precopyPrediction?.inputs?.dirtyRateBytesPerSec,
    }));
  }
}
