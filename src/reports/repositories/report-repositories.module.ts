import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HostEntity } from '../../inventory/hosts/host.entity';
import { LiveMigrationEntity } from '../../migration/records/live-migration.entity';
import { MigrationPhaseEntity } from '../../migration/records/migration-phase.entity';
import { ReportHostsRepository } from './report-hosts.repository';
import { ReportMigrationsRepository } from './report-migrations.repository';

/** The reports' read side of the database: the only place of src/reports that knows TypeORM. */
@Module({
  imports: [TypeOrmModule.forFeature([LiveMigrationEntity, MigrationPhaseEntity, HostEntity])],
  providers: [ReportMigrationsRepository, ReportHostsRepository],
  exports: [ReportMigrationsRepository, ReportHostsRepository],
})
export class ReportRepositoriesModule {}
