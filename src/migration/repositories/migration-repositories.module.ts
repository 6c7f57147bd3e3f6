import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InventoryRepositoriesModule } from '../../inventory/repositories/inventory-repositories.module';
import { LiveMigrationEntity } from '../records/live-migration.entity';
import { MigrationPhaseEntity } from '../records/migration-phase.entity';
import { MigrationSampleEntity } from '../records/migration-sample.entity';
import { ReservationEntity } from '../records/reservation.entity';
import { LiveMigrationsRepository } from './live-migrations.repository';
import { ReservationsRepository } from './reservations.repository';
import { MigrationOwnershipRepository } from './migration-ownership.repository';

/** The migration engine's door to the database: its own aggregates, and the inventory's repositories passed on. */
@Module({
  imports: [
    TypeOrmModule.forFeature([LiveMigrationEntity, MigrationPhaseEntity, MigrationSampleEntity, ReservationEntity]),
    InventoryRepositoriesModule,
  ],
  providers: [LiveMigrationsRepository, MigrationOwnershipRepository, ReservationsRepository],
  exports: [LiveMigrationsRepository, MigrationOwnershipRepository, ReservationsRepository, InventoryRepositoriesModule],
})
export class MigrationRepositoriesModule {}
