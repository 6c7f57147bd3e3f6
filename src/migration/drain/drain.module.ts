import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentsModule } from '../../agents/agents.module';
import { FlavorEntity } from '../../inventory/flavors/flavor.entity';
import { HostEntity } from '../../inventory/hosts/host.entity';
import { InstanceEntity } from '../../inventory/instances/instance.entity';
import { MigrationModule } from '../migration.module';
import { LiveMigrationEntity } from '../records/live-migration.entity';
import { DrainEvents } from './drain-events';
import { DrainExecutor } from './drain-executor.service';
import { DrainMoveEntity } from './drain-move.entity';
import { DrainPlanningService } from './drain-planning.service';
import { DrainEntity } from './drain.entity';
import { DrainsController } from './drains.controller';
import { DrainsService } from './drains.service';
import { FleetSnapshotService } from './fleet-snapshot.service';
import { DrainOwnership } from './drain-ownership.service';
import { DrainRecovery } from './drain-recovery.service';
import { LeaderModule } from '../leader/leader.module';

@Module({
  imports: [
    AgentsModule,
    LeaderModule,
    MigrationModule,
    TypeOrmModule.forFeature([DrainEntity, DrainMoveEntity, HostEntity, InstanceEntity, FlavorEntity, LiveMigrationEntity]),
  ],
  controllers: [DrainsController],
  providers: [DrainEvents, DrainExecutor, DrainOwnership, DrainPlanningService, DrainRecovery, DrainsService, FleetSnapshotService],
  exports: [FleetSnapshotService, DrainsService],
})
export class DrainModule {}
