import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configureApp, createApp } from '../../../src/app.factory';
import { AppModule } from '../../../src/app.module';
import { AGENT_CLIENT_FACTORY } from '../../../src/agents/agent-directory.service';
import { LIBVIRT_REPOSITORY } from '../../../src/migration/libvirt';

export const OPERATOR = 'op-token-1-0123456789';
export const ANALYST = 'an-token-1-0123456789';

export const TEST_SECRET_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

export interface ProviderOverride {
  token: string | symbol | (abstract new (...args: never[]) => unknown);
  value: unknown;
}

export interface TestAppOptions {
  databaseUrl: string;
  env?: Record<string, string | undefined>;
  /** Adapters replaced by fakes (libvirt, agents); the rest is the real app. */
  overrides?: ProviderOverride[];
}

/** Creates the real app against a given database, with the environment set only while it is built. */
export async function startTestApp(options: TestAppOptions): Promise<NestExpressApplication> {
  const env: Record<string, string | undefined> = {
    DATABASE_URL: options.databaseUrl,
    LIVEMIG_TOKENS: `${OPERATOR}:operator,${ANALYST}:analyst`,
    LIVEMIG_TOKENS_FILE: undefined,
    // One key for every app of a test file: an app restarted on the same database must open its secrets.
    LIVEMIG_SECRET_KEY: TEST_SECRET_KEY,
    LIVEMIG_DATA_DIR: mkdtempSync(join(tmpdir(), 'livemig-data-')),
    LOG_LEVEL: 'silent',
    PORT: '0',
    ...options.env,
  };
  return withEnv(env, async () => {
    if (!options.overrides?.length) {
      const app = await createApp();
      await app.init();
      return app;
    }
    let builder = Test.createTestingModule({ imports: [AppModule.forRoot()] });
    for (const o of options.overrides) builder = builder.overrideProvider(o.token).useValue(o.value);
    const moduleRef = await builder.compile();
    const app = configureApp(moduleRef.createNestApplication<NestExpressApplication>({ bufferLogs: true }));
    await app.init();
    return app;
  });
}

export async function withEnv<T>(env: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

export const sampleHost = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  libvirtUri: 'qemu+tcp://192.0.2.11/system',
  migrationAddress: '192.0.2.11',
  migrationInterface: 'mig0',
  instancesPath: '/var/lib/nova/instances',
  vcpus: 8,
  memoryMiB: 16384,
  ...extra,
});

/** The controller against a fake libvirt and fake agents, sampling fast and without capture tails. */
export function startFakeFleetApp(
  databaseUrl: string,
  fakes: { libvirt: unknown; agentFactory: unknown },
): Promise<NestExpressApplication> {
  return startTestApp({
    databaseUrl,
    env: { LIVEMIG_MONITOR_INTERVAL_MS: '50', LIVEMIG_CAPTURE_TAIL_MS: '0' },
    overrides: [
      { token: LIBVIRT_REPOSITORY, value: fakes.libvirt },
      { token: AGENT_CLIENT_FACTORY, value: fakes.agentFactory },
    ],
  });
}
