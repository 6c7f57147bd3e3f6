import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FlavorEntity } from '../inventory/flavors/flavor.entity';
import { HostEntity } from '../inventory/hosts/host.entity';
import { InstanceEntity } from '../inventory/instances/instance.entity';
import { createHttpAgentClient } from '../agents/agent.client';
import { AGENT_CLIENT_FACTORY, AgentDirectory } from './agent-directory.service';
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
import { LiveMigrationEntity } from './records/live-migration.entity';
import { MigrationPhaseEntity } from './records/migration-phase.entity';
import { MigrationSampleEntity } from './records/migration-sample.entity';
import { ReservationEntity } from './records/reservation.entity';
import { ReservationsService } from './reservations.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([LiveMigrationEntity, MigrationPhaseEntity, MigrationSampleEntity, ReservationEntity, HostEntity, InstanceEntity, FlavorEntity]),
  ],
  controllers: [MigrationsController],
  providers: [
    { provide: LIBVIRT_REPOSITORY, useClass: NativeLibvirtRepository },
    { provide: AGENT_CLIENT_FACTORY, useValue: createHttpAgentClient },
    AgentDirectory,
    HostCapacityService,
    Hypervisor,
    MigrationEventBus,
    MigrationQueueService,
    MigrationRecorder,
    MigrationRecoveryService,
    MigrationRunner,
    MigrationsService,
    PrechecksService,
    ReservationsService,
  ],
  exports: [MigrationsService, MigrationQueueService, MigrationEventBus, HostCapacityService, AgentDirectory, Hypervisor],
})
export class MigrationModule {}
