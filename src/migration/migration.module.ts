import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { CaptureModule } from '../capture/capture.module';
import { NetworkModule } from '../network/network.module';
import { NetworkFollowService } from '../network/follow/network-follow.service';
import { MigrationTargetsService } from './migration-targets.service';
import {
  AbortRequests,
  CommitmentPhase,
  ConvergenceActions,
  NetworkSteps,
  PreMigrationPhase,
  PostCopyRecovery,
  PrecopyPhase,
  ReportStep,
  ReservationPhase,
  RollbackPhase,
  RunContextLoader,
  Settlement,
  SwitchoverPhase,
} from './engine';
import { NETWORK_FOLLOWER } from '../network/follow/network-follower';
import { HostCapacityService } from './host-capacity.service';
import { Hypervisor } from './hypervisor';
import { LIBVIRT_REPOSITORY, NativeLibvirtRepository } from './libvirt';
import { MigrationAbortService } from './migration-abort.service';
import { MigrationEventStreamService } from './migration-event-stream.service';
import { MigrationEventBus } from './migration-events';
import { MigrationQueueService } from './migration-queue.service';
import { MigrationReadsService } from './migration-reads.service';
import { MigrationRecorder } from './migration-recorder.service';
import { MigrationRecoveryService } from './migration-recovery.service';
import { MigrationAdoptionService } from './migration-adoption.service';
import { MigrationRequestService } from './migration-request.service';
import { MigrationRunner } from './migration-runner.service';
import { MigrationsController } from './migrations.controller';
import { MigrationsService } from './migrations.service';
import { PrechecksService } from './prechecks.service';
import { PrecopyPredictionService } from './prediction/precopy-prediction.service';
import { MigrationRepositoriesModule } from './repositories/migration-repositories.module';
import { LeaderModule } from './leader/leader.module';
import { ReservationsService } from './reservations.service';

const ENGINE = [
  AbortRequests,
  CommitmentPhase,
  ConvergenceActions,
  NetworkSteps,
  PreMigrationPhase,
  PostCopyRecovery,
  PrecopyPhase,
  ReportStep,
  ReservationPhase,
  RollbackPhase,
  RunContextLoader,
  Settlement,
  SwitchoverPhase,
];

@Module({
  imports: [AgentsModule, CaptureModule, NetworkModule, MigrationRepositoriesModule, LeaderModule],
  controllers: [MigrationsController],
  providers: [
    { provide: LIBVIRT_REPOSITORY, useClass: NativeLibvirtRepository },
    { provide: NETWORK_FOLLOWER, useExisting: NetworkFollowService },
    ...ENGINE,
    MigrationTargetsService,
    HostCapacityService,
    Hypervisor,
    MigrationAbortService,
    MigrationEventBus,
    MigrationEventStreamService,
    MigrationQueueService,
    MigrationReadsService,
    MigrationRecorder,
    MigrationRecoveryService,
    MigrationAdoptionService,
    MigrationRequestService,
    MigrationRunner,
    MigrationsService,
    PrechecksService,
    PrecopyPredictionService,
    ReservationsService,
  ],
  exports: [MigrationsService, MigrationQueueService, MigrationEventBus, HostCapacityService, Hypervisor, MigrationRepositoriesModule],
})
export class MigrationModule {}
