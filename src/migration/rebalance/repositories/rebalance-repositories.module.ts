import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RebalancePolicyEntity } from '../rebalance-policy.entity';
import { RebalanceRunEntity } from '../rebalance-run.entity';
import { RebalancePoliciesRepository } from './rebalance-policies.repository';
import { RebalanceRunsRepository } from './rebalance-runs.repository';

/** The rebalancing tables: policies and their runs. */
@Module({
  imports: [TypeOrmModule.forFeature([RebalancePolicyEntity, RebalanceRunEntity])],
  providers: [RebalancePoliciesRepository, RebalanceRunsRepository],
  exports: [RebalancePoliciesRepository, RebalanceRunsRepository],
})
export class RebalanceRepositoriesModule {}
