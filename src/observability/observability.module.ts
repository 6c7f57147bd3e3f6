import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LIVEMIG_CONFIG, type LivemigConfig } from '../config/livemig-config';
import { HealthController } from './health.controller';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics.registry';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Keeps a caller's x-request-id when it is sane, otherwise makes one; echoes it back. */
function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

@Module({
  imports: [
    TerminusModule.forRoot({ logger: false }),
    LoggerModule.forRootAsync({
      inject: [LIVEMIG_CONFIG],
      useFactory: (config: LivemigConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          genReqId: requestId,
          customProps: () => ({ service: 'livemig' }),
          redact: ['req.headers.authorization'],
          autoLogging: { ignore: (req: IncomingMessage) => req.url === '/metrics' || req.url === '/health' },
        },
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
