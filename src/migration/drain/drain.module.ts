import { Module } from '@nestjs/common';
import { AgentsModule } from '../../agents/agents.module';
import { InventoryRepositoriesModule } from '../../inventory/repositories/inventory-repositories.module';
import { MigrationModule } from '../migration.module';
import { DrainEvents } from './drain-events';
import { DrainExecutor } from './drain-executor.service';
import { DrainPlanningService } from './drain-planning.service';
import { DrainStream } from './drain-stream.service';
import { DrainsController } from './drains.controller';
import { DrainsService } from './drains.service';
import { FleetSnapshotService } from './fleet-snapshot.service';
import { DrainOwnership } from './drain-ownership.service';
import { DrainRecovery } from './drain-recovery.service';
import { LeaderModule } from '../leader/leader.module';
import { DrainRepositoriesModule } from './repositories/drain-repositories.module';

@Module({
  imports: [AgentsModule, LeaderModule, MigrationModule, DrainRepositoriesModule, InventoryRepositoriesModule],
  controllers: [DrainsController],
  providers: [
    DrainEvents,
    DrainExecutor,
    DrainOwnership,
    DrainPlanningService,
    DrainRecovery,
    DrainsService,
    DrainStream,
    FleetSnapshotService,
  ],
  exports: [FleetSnapshotService, DrainsService],
})
export class DrainModule {}
