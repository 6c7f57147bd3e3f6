import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LiveMigrationEntity } from '../records/live-migration.entity';
import { MigrationPhaseEntity } from '../records/migration-phase.entity';
import { MigrationSampleEntity } from '../records/migration-sample.entity';
import { FlavorEntity } from '../../inventory/flavors/flavor.entity';
import { HostEntity } from '../../inventory/hosts/host.entity';
import { InstanceEntity } from '../../inventory/instances/instance.entity';
import { ReservationEntity } from '../records/reservation.entity';
import { LiveMigrationsRepository } from './live-migrations.repository';
import { MigrationInventoryRepository } from './migration-inventory.repository';
import { MigrationUnitOfWork } from './migration-unit-of-work';
import { ReservationsRepository } from './reservations.repository';

/** The only door of the migration engine to the database. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      LiveMigrationEntity,
      MigrationPhaseEntity,
      MigrationSampleEntity,
      ReservationEntity,
      HostEntity,
      InstanceEntity,
      FlavorEntity,
    ]),
  ],
  providers: [LiveMigrationsRepository, ReservationsRepository, MigrationInventoryRepository, MigrationUnitOfWork],
  exports: [LiveMigrationsRepository, ReservationsRepository, MigrationInventoryRepository, MigrationUnitOfWork],
})
export class MigrationRepositoriesModule {}
