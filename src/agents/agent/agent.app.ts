import { NestFactory } from '@nestjs/core';
import type { INestApplication, LogLevel } from '@nestjs/common';
import type { AgentAdapters } from './agent-core.module';
import type { HttpsOptions } from '@nestjs/common/interfaces/external/https-options.interface';
import type { AgentConfig, AgentServerTls } from './agent.config';
import { AgentModule } from './agent.module';
import { agentValidationPipe } from './http/validation.pipe';

export interface AgentAppOptions extends AgentAdapters {
  logLevels?: LogLevel[] | false;
}

/** Builds the agent without listening, so tests can drive it in-process with supertest. */
export async function createAgentApp(config: AgentConfig, options: AgentAppOptions = {}): Promise<INestApplication> {
  const { logLevels = ['error', 'warn', 'log'], ...adapters } = options;
  const app = await NestFactory.create(AgentModule.forRoot(config, adapters), {
    logger: logLevels,
    bodyParser: true,
    httpsOptions: config.tls === undefined ? undefined : httpsOptions(config.tls),
  });
  app.useGlobalPipes(agentValidationPipe());
  return app;
}

// With a client CA the handshake itself refuses a client without a certificate it signed: no request reaches a route.
function httpsOptions(tls: AgentServerTls): HttpsOptions {
  return {
    cert: tls.cert,
    key: tls.key,
    ...(tls.clientCa === undefined ? {} : { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true }),
  };
}

export async function startAgent(config: AgentConfig, listen: { address: string; port: number }): Promise<INestApplication> {
  const app = await createAgentApp(config);
  await app.listen(listen.port, listen.address);
  return app;
}
