import { FlavorEntity } from '../inventory/flavors/flavor.entity';
import { HostEntity } from '../inventory/hosts/host.entity';
import { InstanceEntity } from '../inventory/instances/instance.entity';
import { LiveMigrationEntity } from '../migration/records/live-migration.entity';
import { MigrationPhaseEntity } from '../migration/records/migration-phase.entity';
import { MigrationSampleEntity } from '../migration/records/migration-sample.entity';
import { ReservationEntity } from '../migration/records/reservation.entity';

export const ENTITIES = [
  HostEntity,
  FlavorEntity,
  InstanceEntity,
  LiveMigrationEntity,
  MigrationPhaseEntity,
  MigrationSampleEntity,
  ReservationEntity,
];
