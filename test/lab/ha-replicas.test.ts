import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLabLock, checkGuestCrash, controllerEnv, labDown, labUp, shapeMigrationLink, whereIsGuest } from '../../lab';
import { ControllerApi, waitForMigration, waitForState } from '../../lab/cli/controller-api';
import { controllerLogFile, startControllerProcess, type ControllerProcess } from '../../lab/cli/controller-process';
import { bootInstance, registerLabInventory } from '../../lab/cli/lab-inventory';
import { TEST_SECRET_KEY } from '../support/api/test-app';
import { createTestDatabase, type TestDatabase } from '../support/api/test-database';

const TOKEN = 'ha-lab-operator-token';
const LEASE_MS = 3000;

describe('two controller replicas on one PostgreSQL against the real lab', () => {
  let release: () => void;
  let db: TestDatabase;
  const replicas: ControllerProcess[] = [];
  const basePort = 18_900 + (process.pid % 300);

  const start = async (name: string, port: number) => {
    const dataDir = mkdtempSync(join(tmpdir(), `livemig-ha-${name}-`));
    const replica = await startControllerProcess({
      port,
      logFile: controllerLogFile(dataDir),
      env: {
        ...controllerEnv(),
        DATABASE_URL: db.url,
        LIVEMIG_DATA_DIR: dataDir,
        LIVEMIG_SECRET_KEY: TEST_SECRET_KEY,
        LIVEMIG_TOKENS: `${TOKEN}:operator`,
        LIVEMIG_REPLICA_ID: name,
        LIVEMIG_LEASE_MS: String(LEASE_MS),
        LIVEMIG_LEADER_RETRY_MS: '500',
        LIVEMIG_MONITOR_INTERVAL_MS: '200',
        LOG_LEVEL: 'info',
      },
    });
    replicas.push(replica);
    return { replica, api: new ControllerApi(replica.url, TOKEN), dataDir };
  };

  const ownerOf = async (migrationId: string): Promise<string | null> => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const res = await client.query<{ owner_id: string | null }>('SELECT owner_id FROM live_migrations WHERE id = $1', [migrationId]);
      return res.rows[0]?.owner_id ?? null;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    release = await acquireLabLock();
    await labUp({ hosts: 2 });
    db = await createTestDatabase('postgres');
  }, 300_000);

  afterAll(async () => {
    for (const r of replicas) await r.stop('SIGTERM').catch(() => undefined);
    await shapeMigrationLink('host-a', null).catch(() => undefined);
    await labDown();
    await db?.drop();
    release?.();
  }, 120_000);

  it('SIGKILL of the owner during a real pre-copy: the other replica adopts it, the guest ends on exactly one host', async () => {
    const a = await start('lab-replica-a', basePort);
    const b = await start('lab-replica-b', basePort + 1);
    const inventory = await registerLabInventory(a.api);
    const vm = await bootInstance(a.api, inventory, {
      name: 'ha-lab-vm',
      host: 'host-a',
      ip: '203.0.113.71',
      flavor: 'lab.micro',
      dirtyMiB: 16,
      dirtyPauseMs: 50,
    });
    // A slow link keeps the copy going well past the kill.
    await shapeMigrationLink('host-a', 60);
    const started = await a.api.ok<{ id: string }>('POST', '/migrations', {
      instanceId: vm.instanceId,
      destinationHostId: inventory.hostIds['host-b'],
      policy: { completionTimeoutSecPerGiB: 0, progressTimeoutSec: 0 },
    });
    await waitForState(a.api, started.id, ['pre-copy']);
    expect(await ownerOf(started.id)).toBe('lab-replica-a');
    await new Promise((r) => setTimeout(r, 1500));
    await a.replica.stop('SIGKILL');
    const killedAt = Date.now();
    for (;;) {
      if ((await ownerOf(started.id)) === 'lab-replica-b') break;
      if (Date.now() - killedAt > 30_000) throw new Error('not adopted within 30 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    const adoptedMs = Date.now() - killedAt;
    await shapeMigrationLink('host-a', null);
    const done = await waitForMigration(b.api, started.id, 240_000);
    console.log(
      `owner SIGKILLed in pre-copy: adopted by the other replica after ${adoptedMs} ms; record ${done.state} after ${Date.now() - killedAt} ms`,
    );
    const where = await whereIsGuest(vm.domainName);
    expect(where.running).toHaveLength(1);
    const expectedHost = done.state === 'completed' ? 'host-b' : 'host-a';
    expect(where.running).toEqual([expectedHost]);
    expect(['completed', 'failed']).toContain(done.state);
    expect(done.phases.filter((p) => ['completed', 'failed', 'aborted', 'rolled-back'].includes(p.phase))).toHaveLength(1);
    const instance = await b.api.ok<{ hostId: string; state: string }>('GET', `/instances/${vm.instanceId}`);
    expect(instance.hostId).toBe(inventory.hostIds[expectedHost]);
    expect(instance.state).toBe('active');
    // The captures lived in the dead replica: the report says so rather than staying pending.
    expect(done.reportState).toBe('failed');
    const crash = checkGuestCrash(vm.domainName);
    expect(crash.crashed, `guest crash: ${crash.line}`).toBe(false);
  });
});
