import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HostEntity } from '../../../inventory/hosts/host.entity';
import { DrainMoveEntity } from '../../drain/drain-move.entity';
import { DrainEntity } from '../../drain/drain.entity';
import { LiveMigrationEntity } from '../../records/live-migration.entity';
import { RebalanceRunEntity } from '../../rebalance/rebalance-run.entity';
import { MetricsReadsRepository } from './metrics-reads.repository';

/** The metrics' read side of the database: the only place of src/migration/metrics that knows TypeORM. */
@Module({
  imports: [TypeOrmModule.forFeature([LiveMigrationEntity, HostEntity, DrainEntity, DrainMoveEntity, RebalanceRunEntity])],
  providers: [MetricsReadsRepository],
  exports: [MetricsReadsRepository],
})
export class MetricsRepositoriesModule {}
