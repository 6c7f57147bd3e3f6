import { Module, type DynamicModule } from '@nestjs/common';
import { AnalysisModule } from './analysis/api/analysis.module';
import { ReportsModule } from './reports/reports.module';
import { AuthModule } from './auth/auth.module';
import { LivemigConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { InventoryModule } from './inventory/inventory.module';
import { DrainModule } from './migration/drain/drain.module';
import { MigrationMetricsModule } from './migration/metrics/migration-metrics.module';
import { MigrationModule } from './migration/migration.module';
import { RebalanceModule } from './migration/rebalance/rebalance.module';
import { NetworkModule } from './network/network.module';
import { SitesModule } from './network/sites/sites.module';
import { ObservabilityModule } from './observability/observability.module';

@Module({})
export class AppModule {
  /** Built on demand so the environment is read when the app is created, not when this file loads. */
  static forRoot(): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LivemigConfigModule.forRoot(),
        ObservabilityModule,
        DatabaseModule,
        AuthModule,
        InventoryModule,
        MigrationModule,
        MigrationMetricsModule,
        DrainModule,
        RebalanceModule,
        ReportsModule,
        AnalysisModule,
        NetworkModule,
        SitesModule,
      ],
    };
  }
}
