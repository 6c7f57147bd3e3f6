import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AgentCoreModule, type AgentAdapters } from './agent-core.module';
import type { AgentConfig } from './agent.config';
import { BearerTokenGuard } from './auth/bearer-token.guard';
import { CapturesModule } from './captures/captures.module';
import { GuestsModule } from './guests/guests.module';
import { HealthModule } from './health/health.module';
import { LinksModule } from './links/links.module';
import { NetworkModule } from './network/network.module';
import { AccessLogInterceptor } from './http/access-log.interceptor';
import { AgentExceptionFilter } from './http/agent-exception.filter';
import { ProbesModule } from './probes/probes.module';
import { StorageModule } from './storage/storage.module';

/**
 * The host agent, separate from the controller's AppModule. Each duty is its own
 * module; later duties (FDB, DVR, floating IPs) are added to `imports` the same way.
 */
@Module({})
export class AgentModule {
  static forRoot(config: AgentConfig, adapters: AgentAdapters = {}): DynamicModule {
    return {
      module: AgentModule,
      imports: [
        AgentCoreModule.forRoot(config, adapters),
        GuestsModule,
        HealthModule,
        LinksModule,
        StorageModule,
        CapturesModule,
        ProbesModule,
        NetworkModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: BearerTokenGuard },
        { provide: APP_FILTER, useClass: AgentExceptionFilter },
        { provide: APP_INTERCEPTOR, useClass: AccessLogInterceptor },
      ],
    };
  }
}
