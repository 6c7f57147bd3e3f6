import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { hostname } from 'node:os';
import pino from 'pino';
import { LIVEMIG_CONFIG, type LivemigConfig } from '../config/livemig-config';
import { HealthController } from './health.controller';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics.registry';

@Module({
  imports: [
    TerminusModule.forRoot({ logger: false }),
    LoggerModule.forRootAsync({
      inject: [LIVEMIG_CONFIG],
      // The request's logger comes from requestLog (see configureApp); nestjs-pino only binds it.
      useFactory: (config: LivemigConfig) => ({
        pinoHttp: { logger: pino({ level: config.logLevel, base: { pid: process.pid, hostname: hostname(), service: 'livemig' } }) },
        useExisting: true,
      }),
    }),
  ],
  controllers: [HealthController, MetricsController],
  providers: [MetricsRegistry],
  exports: [MetricsRegistry],
})
export class ObservabilityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
