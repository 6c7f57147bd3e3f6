import { NestFactory, Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { ErrorFilter } from './common/http/error.filter';
import { FastSerializerInterceptor } from './common/http/fast-serializer.interceptor';
import { securityHeaders } from './common/http/security-headers';
import { createValidationPipe } from './common/http/validation';

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
  app.useGlobalInterceptors(new FastSerializerInterceptor(app.get(Reflector)));
  app.enableShutdownHooks();
  app.disable('x-powered-by');
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
