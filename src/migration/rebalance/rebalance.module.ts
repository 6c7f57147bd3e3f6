import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { DrainModule } from '../drain/drain.module';
import { InventoryRepositoriesModule } from '../../inventory/repositories/inventory-repositories.module';
import { LeaderModule } from '../leader/leader.module';
import { LibvirtLoadService } from '../load/libvirt-load.service';
import { MigrationModule } from '../migration.module';
import { RebalanceJobs } from './rebalance-jobs.service';
import { RebalancePoliciesController } from './rebalance-policies.controller';
import { RebalancePoliciesService } from './rebalance-policies.service';
import { RebalanceRunner } from './rebalance-runner.service';
import { RebalanceRepositoriesModule } from './repositories/rebalance-repositories.module';

@Module({
  imports: [ScheduleModule.forRoot(), LeaderModule, DrainModule, MigrationModule, RebalanceRepositoriesModule, InventoryRepositoriesModule],
  controllers: [RebalancePoliciesController],
  providers: [LibvirtLoadService, RebalanceJobs, RebalancePoliciesService, RebalanceRunner],
  exports: [RebalanceRunner],
})
export class RebalanceModule {}
