import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger, PARAMS_PROVIDER_TOKEN, type Params } from 'nestjs-pino';
import type { Logger as PinoRoot } from 'pino';
import { AppModule } from './app.module';
import { ErrorFilter } from './common/http/error.filter';
import { securityHeaders } from './common/http/security-headers';
import { createValidationPipe } from './common/http/validation';
import { requestLog } from './observability/request-log';

/** Creates the controller app, configured as in production. */
export async function createApp(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), { bufferLogs: true, abortOnError: false });
  return configureApp(app);
}

/** Pipes, filters, serialisation and OpenAPI; shared with tests that build the app from a testing module. */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorFilter());
  app.enableShutdownHooks();
  app.disable('x-powered-by');
  // Answers are built per request from the database: hashing each body for an ETag cost CPU and no client
  // here sends If-None-Match.
  app.set('etag', false);
  // First, so that the request's id and logger are there for everything after it.
  app.use(requestLog((app.get<Params>(PARAMS_PROVIDER_TOKEN).pinoHttp as { logger: PinoRoot }).logger));
  app.use(securityHeaders);
  app.useBodyParser('json', { limit: '1mb' });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('livemig')
      .setDescription('Live-migration controller and downtime analyzer for KVM/libvirt clouds')
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'a token from LIVEMIG_TOKENS (admin, operator or analyst)' })
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', yamlDocumentUrl: 'api/docs-yaml' });
  return app;
}
