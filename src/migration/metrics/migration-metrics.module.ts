import { Module } from '@nestjs/common';
import { ObservabilityModule } from '../../observability/observability.module';
import { MigrationModule } from '../migration.module';
import { ClusterGaugesCollector } from './cluster-gauges.collector';
import { MigrationMetricSet } from './migration-metric-set';
import { MigrationMetricsListener } from './migration-metrics.listener';
import { MetricsRepositoriesModule } from './repositories/metrics-repositories.module';

/** Migration, drain, rebalance and agent metrics on the app's Prometheus registry (see README.md here). */
@Module({
  imports: [ObservabilityModule, MigrationModule, MetricsRepositoriesModule],
  providers: [MigrationMetricSet, MigrationMetricsListener, ClusterGaugesCollector],
  exports: [MigrationMetricsListener],
})
export class MigrationMetricsModule {}
