import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, OPERATOR } from '../support/api/test-app';
import { createTestDatabase, type TestDatabase } from '../support/api/test-database';
import { HaCluster, waitFor } from '../support/ha/ha-cluster';

const MiB = 1024 * 1024;

describe('a drain on one replica while another rebalances', () => {
  let db: TestDatabase;
  let cluster: HaCluster;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    cluster = new HaCluster(db.url);
    await cluster.start();
    await cluster.start();
    await cluster.addHost('d1', '192.0.2.61', 4096);
    await cluster.addHost('d2', '192.0.2.62', 8192);
    await cluster.addHost('d3', '192.0.2.63', 8192);
  });

  afterAll(async () => {
    await cluster?.close();
    await db?.drop();
  });

  it('no instance is migrated twice and the drain ends completed with the host empty', async () => {
    // About a second per move, so the two workflows overlap.
    cluster.libvirt.bandwidthBytesPerSec = 128 * MiB;
    const flavorId = await cluster.addFlavor('dr.small', 512);
    const domains: string[] = [];
    for (let i = 1; i <= 6; i++) {
      domains.push(`dr-vm-${i}`);
      await cluster.addGuest('d1', `dr-vm-${i}`, flavorId, { ramBytes: 128 * MiB, rssBytes: 512 * MiB });
    }
    const [drainer, balancer] = cluster.replicas;
    // d1 holds 75 % of its RAM: a 50 % threshold moves guests off it.
    const policy = await balancer
      .http()
      .post('/rebalance-policies')
      .set(auth(OPERATOR))
      .send({
        name: 'relieve',
        metric: 'ram',
        goal: { kind: 'threshold', value: 0.5 },
        cron: '0 0 1 1 *',
        maxMigrationsPerRun: 3,
        cooldownSec: 0,
        mode: 'execute',
      });
    expect(policy.status).toBe(201);
    const run = await balancer.http().post(`/rebalance-policies/${policy.body.id}/run`).set(auth(OPERATOR)).send({});
    expect(run.status).toBe(202);
    // The drain planned on the fleet as it is now, before the rebalance has moved anything.
    const drain = await drainer
      .http()
      .post(`/hosts/${cluster.hostIds.get('d1')}/drain`)
      .set(auth(OPERATOR))
      .send({ dryRun: false, maxParallel: 2 });
    expect(drain.status).toBe(202);
    const get = async (path: string) => (await drainer.http().get(path).set(auth(OPERATOR))).body;
    await waitFor('the drain ends', async () => (await get(`/drains/${drain.body.id}`)).state !== 'running', 120_000);
    await waitFor('the rebalance run ends', async () => (await get(`/rebalance-runs/${run.body.id}`)).state !== 'running', 120_000);
    const done = await get(`/drains/${drain.body.id}`);
    const rebalanced = (await get(`/rebalance-runs/${run.body.id}`)).results as { outcome: string }[];
    const moves = done.moves as { outcome: string; reason: string | null }[];
    console.log(
      `drain ${done.state}; moves ${moves.map((m) => m.outcome).join(',')}; rebalance results ${rebalanced.map((r) => r.outcome).join(',')}; ` +
        `migrations per guest ${domains.map((d) => cluster.libvirt.migrationsOf(d)).join(',')}`,
    );
    expect(done.state).toBe('completed');
    for (const d of domains) {
      expect(cluster.libvirt.migrationsOf(d)).toBe(1);
      expect(cluster.runningOn(d)).toHaveLength(1);
      expect(cluster.runningOn(d)).not.toContain('d1');
    }
    // Both workflows moved some: the test saw the race it is about.
    expect(rebalanced.filter((r) => r.outcome === 'completed').length).toBeGreaterThan(0);
    expect(moves.filter((m) => m.outcome === 'completed').length).toBeGreaterThan(0);
    expect(moves.filter((m) => m.outcome === 'skipped').length).toBe(rebalanced.filter((r) => r.outcome === 'completed').length);
  });
});
