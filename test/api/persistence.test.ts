import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.factory';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../support/api/test-database';
import { auth, OPERATOR, sampleHost, startTestApp, withEnv } from '../support/api/test-app';

describe.each<DatabaseKind>(['sqlite', 'postgres'])('persistence on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('keeps data across a restart and applies migrations once', async () => {
    const first = await startTestApp({ databaseUrl: db.url });
    const created = await request(first.getHttpServer()).post('/hosts').set(auth(OPERATOR)).send(sampleHost('persist-a'));
    expect(created.status).toBe(201);
    const migrationsBefore = await first.get(DataSource).query('SELECT name FROM migrations ORDER BY id');
    await first.close();

    const second = await startTestApp({ databaseUrl: db.url });
    try {
      const dataSource = second.get(DataSource);
      expect(await dataSource.showMigrations()).toBe(false);
      const migrationsAfter = await dataSource.query('SELECT name FROM migrations ORDER BY id');
      expect(migrationsAfter).toEqual(migrationsBefore);
      expect(migrationsAfter.length).toBeGreaterThanOrEqual(2);
      const read = await request(second.getHttpServer()).get(`/hosts/${created.body.id}`).set(auth(OPERATOR));
      expect(read.body.name).toBe('persist-a');
    } finally {
      await second.close();
    }
  });

  it('two replicas starting at once agree on one schema', async () => {
    const fresh = await createTestDatabase(kind);
    try {
      const apps = await Promise.all([startTestApp({ databaseUrl: fresh.url }), startTestApp({ databaseUrl: fresh.url })]);
      const rows = await apps[0].get(DataSource).query('SELECT name FROM migrations');
      expect(new Set(rows.map((r: { name: string }) => r.name)).size).toBe(rows.length);
      await Promise.all(apps.map((a) => a.close()));
    } finally {
      await fresh.drop();
    }
  });
});

describe('configuration', () => {
  const base = {
    DATABASE_URL: `sqlite:${join(tmpdir(), 'livemig-config-test.sqlite')}`,
    LOG_LEVEL: 'silent',
    LIVEMIG_TOKENS: undefined,
    LIVEMIG_TOKENS_FILE: undefined,
  };

  it.each([
    [{ PORT: 'eighty' }, /PORT must be an integer/],
    [{ PORT: '70000' }, /PORT must not be greater than 65535/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be/],
    [{ LIVEMIG_TOKENS: 'abcd-0123456789ab:root' }, /LIVEMIG_TOKENS: .*unknown role "root"/],
    [{ LIVEMIG_TOKENS: 'noseparator' }, /not of the form token:role/],
    [{ LIVEMIG_TOKENS_FILE: '/nonexistent/tokens' }, /LIVEMIG_TOKENS_FILE cannot be read/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
  ])('stops on %j with a clear message', async (env, message) => {
    await expect(withEnv({ ...base, ...env }, () => createApp())).rejects.toThrow(message);
  });

  it('reads tokens from LIVEMIG_TOKENS_FILE', async () => {
    const file = join(tmpdir(), `livemig-tokens-${process.pid}`);
    writeFileSync(file, '# operators\nfile-op-1-0123456789:operator\nfile-an-1-0123456789:analyst\n');
    const db = await createTestDatabase('sqlite');
    const app = await startTestApp({ databaseUrl: db.url, env: { LIVEMIG_TOKENS: undefined, LIVEMIG_TOKENS_FILE: file } });
    try {
      const http = request(app.getHttpServer());
      expect((await http.post('/hosts').set(auth('file-an-1-0123456789')).send(sampleHost('tf-a'))).status).toBe(403);
      expect((await http.post('/hosts').set(auth('file-op-1-0123456789')).send(sampleHost('tf-a'))).status).toBe(201);
    } finally {
      await app.close();
      await db.drop();
    }
  });
});
