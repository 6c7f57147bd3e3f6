import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, describe, expect, it } from 'vitest';
import { RebalanceJobs } from '../../src/migration/rebalance/rebalance-jobs.service';
import { auth, ANALYST, OPERATOR, startTestApp } from '../support/api/test-app';
import { createTestDatabase, type TestDatabase } from '../support/api/test-database';

const RETRY_MS = 300;
// One cron tick (1 s here): "the other replica takes over within one tick", with room for a loaded machine.
const TICK_MS = 1000;
const TRY_SLACK_MS = TICK_MS - RETRY_MS;
// Keep looking well past the bound so a slow takeover shows up as its number, not as -1.
const TAKEOVER_WAIT_MS = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('policy jobs run on the leader only', () => {
  const apps: NestExpressApplication[] = [];
  const dbs: TestDatabase[] = [];

  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    for (const db of dbs) await db.drop();
  });

  const leaderOf = async (app: NestExpressApplication) =>
    (await request(app.getHttpServer()).get('/rebalance-policies/leader').set(auth(ANALYST))).body;

  async function cronRunTimes(app: NestExpressApplication, policyId: string): Promise<number[]> {
    const rows: { created_at: string | Date; trigger: string }[] = await app
      .get(DataSource)
      .query('SELECT created_at, trigger FROM rebalance_runs WHERE policy_id = $1 ORDER BY created_at', [policyId]);
    expect(rows.every((r) => r.trigger === 'cron')).toBe(true);
    return rows.map((r) => new Date(r.created_at).getTime());
  }

  it('SQLite: the single instance leads and its seconds cron fires', async () => {
    const db = await createTestDatabase('sqlite');
    dbs.push(db);
    const app = await startTestApp({ databaseUrl: db.url });
    apps.push(app);
    expect(await leaderOf(app)).toMatchObject({ leader: true, mechanism: 'single-instance', lockKey: null });
    const policy = await request(app.getHttpServer())
      .post('/rebalance-policies')
      .set(auth(OPERATOR))
      .send({
        name: 'tick',
        metric: 'cpu',
        goal: { kind: 'threshold', value: 0.9 },
        cron: '*/1 * * * * *',
        maxMigrationsPerRun: 1,
        cooldownSec: 0,
        mode: 'dry-run',
      });
    await sleep(1300);
    const runs = await app.get(DataSource).query('SELECT COUNT(*) AS n FROM rebalance_runs WHERE policy_id = ?', [policy.body.id]);
    expect(Number(runs[0].n)).toBeGreaterThanOrEqual(1);
    expect(Number(runs[0].n)).toBeLessThanOrEqual(2);
    await app.close();
    apps.splice(apps.indexOf(app), 1);
  });

  it('PostgreSQL: two replicas, one leader, each tick runs once; another takes over within one retry interval when the leader closes or its session dies', async () => {
    const db = await createTestDatabase('postgres');
    dbs.push(db);
    const env = { LIVEMIG_LEADER_RETRY_MS: String(RETRY_MS) };
    const first = await startTestApp({ databaseUrl: db.url, env });
    apps.push(first);
    const second = await startTestApp({ databaseUrl: db.url, env });
    apps.push(second);

    const [a, b] = [await leaderOf(first), await leaderOf(second)];
    expect([a.leader, b.leader]).toEqual([true, false]);
    expect(a).toMatchObject({ mechanism: 'pg-advisory-lock', retryIntervalMs: RETRY_MS, lastError: null });
    // The lock lives in the leader's own session, visible to PostgreSQL; advisory locks are per database,
    // and other suites' replicas hold the same key in theirs.
    const held = await first
      .get(DataSource)
      .query(
        "SELECT COUNT(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        [a.lockKey],
      );
    expect(Number(held[0].n)).toBe(1);

    const policy = (
      await request(first.getHttpServer())
        .post('/rebalance-policies')
        .set(auth(OPERATOR))
        .send({
          name: 'tick',
          metric: 'ram',
          goal: { kind: 'stddev', value: 0.1 },
          cron: '*/1 * * * * *',
          maxMigrationsPerRun: 1,
          cooldownSec: 0,
          mode: 'dry-run',
        })
    ).body;
    // The follower learns of the policy on its next sync, so both replicas have the job and both timers fire.
    await sleep(RETRY_MS * 2);
    expect(second.get(RebalanceJobs).registeredPolicyIds()).toContain(policy.id);
    const before = (await cronRunTimes(first, policy.id)).length;
    await sleep(2300);
    const times = (await cronRunTimes(first, policy.id)).slice(before);
    // Two or three second-boundaries passed: one run each, never two (both replicas would give 4-6).
    expect(times.length).toBeGreaterThanOrEqual(2);
    expect(times.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThan(500);

    // The leader goes away: its session ends, the lock frees, the follower takes it on its next try.
    const closedAt = Date.now();
    await first.close();
    apps.splice(apps.indexOf(first), 1);
    let tookOverMs = -1;
    for (let waited = 0; waited <= TAKEOVER_WAIT_MS; waited = Date.now() - closedAt) {
      if ((await leaderOf(second)).leader) {
        tookOverMs = Date.now() - closedAt;
        break;
      }
      await sleep(25);
    }
    expect(tookOverMs).toBeGreaterThanOrEqual(0);
    expect(tookOverMs).toBeLessThanOrEqual(RETRY_MS + TRY_SLACK_MS);
    console.log(`follower became leader ${tookOverMs} ms after the leader closed (retry interval ${RETRY_MS} ms)`);

    const afterTakeover = (await cronRunTimes(second, policy.id)).length;
    await sleep(1300);
    const newTimes = (await cronRunTimes(second, policy.id)).slice(afterTakeover);
    expect(newTimes.length).toBeGreaterThanOrEqual(1);
    expect(newTimes.length).toBeLessThanOrEqual(2);

    // A leader that dies without a goodbye: PostgreSQL ends its session, which frees the lock.
    const third = await startTestApp({ databaseUrl: db.url, env });
    apps.push(third);
    expect((await leaderOf(third)).leader).toBe(false);
    const { sessionPid } = await leaderOf(second);
    expect(sessionPid).toEqual(expect.any(Number));
    const killedAt = Date.now();
    await third.get(DataSource).query('SELECT pg_terminate_backend($1)', [sessionPid]);
    let thirdLeadsMs = -1;
    for (let waited = 0; waited <= TAKEOVER_WAIT_MS; waited = Date.now() - killedAt) {
      if ((await leaderOf(third)).leader) {
        thirdLeadsMs = Date.now() - killedAt;
        break;
      }
      await sleep(25);
    }
    expect(thirdLeadsMs).toBeGreaterThanOrEqual(0);
    expect(thirdLeadsMs).toBeLessThanOrEqual(RETRY_MS + TRY_SLACK_MS);
    await sleep(RETRY_MS + 100);
    // The old leader found its session gone, stepped down and now asks again on a new session.
    const former = await leaderOf(second);
    expect(former.leader).toBe(false);
    expect(former.sessionPid).not.toBe(sessionPid);
    console.log(`after the leader's session was killed a follower led within ${thirdLeadsMs} ms`);
  });
});
