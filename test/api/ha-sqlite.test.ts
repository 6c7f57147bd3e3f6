import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/api/test-app';
import { createTestDatabase, type TestDatabase } from '../support/api/test-database';

describe('SQLite stays single-process', () => {
  const dbs: TestDatabase[] = [];
  let holder: ChildProcess | null = null;

  afterAll(async () => {
    holder?.kill('SIGKILL');
    for (const db of dbs) await db.drop();
  });

  const sqlitePath = (db: TestDatabase) => db.url.slice('sqlite:'.length);

  it('a controller refuses to start on a SQLite file another live process holds, with a message saying why', async () => {
    const db = await createTestDatabase('sqlite');
    dbs.push(db);
    // Another process on this machine holding the file, as a running controller's lock names it.
    holder = spawn('sleep', ['60'], { stdio: 'ignore' });
    writeFileSync(`${sqlitePath(db)}.lock`, JSON.stringify({ pid: holder.pid, host: hostname(), since: new Date().toISOString() }));
    await expect(startTestApp({ databaseUrl: db.url, env: { LIVEMIG_HEARTBEAT_MS: '0' } })).rejects.toThrow(
      /in use by another livemig controller \(pid \d+.*run several replicas on PostgreSQL/,
    );
  });

  it('a lock left by a killed controller is taken over, and a clean shutdown removes it', async () => {
    const db = await createTestDatabase('sqlite');
    dbs.push(db);
    const dead = spawn('true');
    await new Promise((resolve) => dead.on('exit', resolve));
    writeFileSync(`${sqlitePath(db)}.lock`, JSON.stringify({ pid: dead.pid, host: hostname(), since: new Date().toISOString() }));
    const app = await startTestApp({ databaseUrl: db.url });
    expect(existsSync(`${sqlitePath(db)}.lock`)).toBe(true);
    await app.close();
    expect(existsSync(`${sqlitePath(db)}.lock`)).toBe(false);
  });
});
