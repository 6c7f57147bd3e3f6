import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FlavorEntity } from '../inventory/flavors/flavor.entity';
import { HostEntity } from '../inventory/hosts/host.entity';
import { InstanceEntity } from '../inventory/instances/instance.entity';
import { AgentsModule } from '../agents/agents.module';
import { CaptureModule } from '../capture/capture.module';
import { NetworkModule } from '../network/network.module';
import { NetworkFollowService } from '../network/follow/network-follow.service';
import { NETWORK_FOLLOWER } from './network-follower';
import { HostCapacityService } from './host-capacity.service';
import { Hypervisor } from './hypervisor';
import { LIBVIRT_REPOSITORY, NativeLibvirtRepository } from './libvirt';
import { MigrationEventBus } from './migration-events';
import { MigrationQueueService } from './migration-queue.service';
import { MigrationRecorder } from './migration-recorder.service';
import { MigrationRecoveryService } from './migration-recovery.service';
import { MigrationRunner } from './migration-runner.service';
import { MigrationsController } from './migrations.controller';
import { MigrationsService } from './migrations.service';
import { PrechecksService } from './prechecks.service';
import { PrecopyPredictionService } from './prediction/precopy-prediction.service';
import { LiveMigrationEntity } from './records/live-migration.entity';
import { MigrationPhaseEntity } from './records/migration-phase.entity';
import { MigrationSampleEntity } from './records/migration-sample.entity';
import { ReservationEntity } from './records/reservation.entity';
import { ReservationsService } from './reservations.service';

@Module({
  imports: [
    AgentsModule,
    CaptureModule,
    NetworkModule,
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
  controllers: [MigrationsController],
  providers: [
    { provide: LIBVIRT_REPOSITORY, useClass: NativeLibvirtRepository },
    { provide: NETWORK_FOLLOWER, useExisting: NetworkFollowService },
    HostCapacityService,
    Hypervisor,
    MigrationEventBus,
    MigrationQueueService,
    MigrationRecorder,
    MigrationRecoveryService,
    MigrationRunner,
    MigrationsService,
    PrechecksService,
    PrecopyPredictionService,
    ReservationsService,
  ],
  exports: [MigrationsService, MigrationQueueService, MigrationEventBus, HostCapacityService, Hypervisor],
})
export class MigrationModule {}
