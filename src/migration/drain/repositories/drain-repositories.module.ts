import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LiveMigrationEntity } from '../../records/live-migration.entity';
import { DrainMoveEntity } from '../drain-move.entity';
import { DrainEntity } from '../drain.entity';
import { DrainMovesRepository } from './drain-moves.repository';
import { DrainsRepository } from './drains.repository';
import { MigrationHistoryRepository } from './migration-history.repository';

/** The drain's tables (drains with their moves) and its read-only view of completed migrations. */
@Module({
  imports: [TypeOrmModule.forFeature([DrainEntity, DrainMoveEntity, LiveMigrationEntity])],
  providers: [DrainsRepository, DrainMovesRepository, MigrationHistoryRepository],
  exports: [DrainsRepository, DrainMovesRepository, MigrationHistoryRepository],
})
export class DrainRepositoriesModule {}
