import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../../src/app.factory';

export const OPERATOR = 'op-token-1';
export const ANALYST = 'an-token-1';

export interface TestAppOptions {
  databaseUrl: string;
  env?: Record<string, string | undefined>;
}

/** Creates the real app against a given database, with the environment set only while it is built. */
export async function startTestApp(options: TestAppOptions): Promise<NestExpressApplication> {
  const env: Record<string, string | undefined> = {
    DATABASE_URL: options.databaseUrl,
    LIVEMIG_TOKENS: `${OPERATOR}:operator,${ANALYST}:analyst`,
    LIVEMIG_TOKENS_FILE: undefined,
    LIVEMIG_DATA_DIR: mkdtempSync(join(tmpdir(), 'livemig-data-')),
    LOG_LEVEL: 'silent',
    PORT: '0',
    ...options.env,
  };
  return withEnv(env, async () => {
    const app = await createApp();
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
