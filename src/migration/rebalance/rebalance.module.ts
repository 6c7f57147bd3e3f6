import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DrainModule } from '../drain/drain.module';
import { InstanceEntity } from '../../inventory/instances/instance.entity';
import { LeaderModule } from '../leader/leader.module';
import { LibvirtLoadService } from '../load/libvirt-load.service';
import { MigrationModule } from '../migration.module';
import { RebalanceJobs } from './rebalance-jobs.service';
import { RebalancePoliciesController } from './rebalance-policies.controller';
import { RebalancePoliciesService } from './rebalance-policies.service';
import { RebalancePolicyEntity } from './rebalance-policy.entity';
import { RebalanceRunEntity } from './rebalance-run.entity';
import { RebalanceRunner } from './rebalance-runner.service';

@Module({
  imports: [
    ScheduleModule.forRoot(),
    LeaderModule,
    DrainModule,
    MigrationModule,
    TypeOrmModule.forFeature([RebalancePolicyEntity, RebalanceRunEntity, InstanceEntity]),
  ],
  controllers: [RebalancePoliciesController],
  providers: [LibvirtLoadService, RebalanceJobs, RebalancePoliciesService, RebalanceRunner],
  exports: [RebalanceRunner],
})
export class RebalanceModule {}
