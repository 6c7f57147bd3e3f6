import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, describe, expect, it } from 'vitest';
import { LeaderElection } from '../../src/migration/leader/leader-election.service';
import { RebalanceJobs } from '../../src/migration/rebalance/rebalance-jobs.service';
import { auth, ANALYST, OPERATOR, startTestApp } from '../support/api/test-app';
import { createTestDatabase, type TestDatabase } from '../support/api/test-database';

const RETRY_MS = 300;
// How long an event may take on a loaded machine: the test waits for what happens, it does not time it.
const EVENT_BOUND_MS = 30_000;
const SAMPLE_MS = 25;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `done` holds (or the bound passes), calling `sample` on every round. Returns the ms it took. */
async function waitFor(what: string, done: () => Promise<boolean> | boolean, sample: () => void = () => undefined): Promise<number> {
  const startedAt = Date.now();
  for (;;) {
    sample();
    if (await done()) return Date.now() - startedAt;
    if (Date.now() - startedAt > EVENT_BOUND_MS) throw new Error(`${what}: not within ${EVENT_BOUND_MS} ms`);
    await sleep(SAMPLE_MS);
  }
}

/** Each cron tick runs at most once cluster-wide: two runs of the policy never share a second. */
function expectOneRunPerSecond(times: number[]): void {
  const seconds = times.map((t) => Math.floor(t / 1000));
  expect(new Set(seconds).size).toBe(seconds.length);
}

describe('policy jobs run on the leader only', () => {
  const apps: NestExpressApplication[] = [];
  const dbs: TestDatabase[] = [];

  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    for (const db of dbs) await db.drop();
  });

  const leaderOf = async (app: NestExpressApplication) =>
    (await request(app.getHttpServer()).get('/rebalance-policies/leader').set(auth(ANALYST))).body;

  async function cronRunTimes(app: NestExpressApplication, policyId: string, param = '$1'): Promise<number[]> {
    const rows: { created_at: string | Date; trigger: string }[] = await app
      .get(DataSource)
      .query(`SELECT created_at, trigger FROM rebalance_runs WHERE policy_id = ${param} ORDER BY created_at`, [policyId]);
    expect(rows.every((r) => r.trigger === 'cron')).toBe(true);
    return rows.map((r) => new Date(r.created_at).getTime());
  }

  /** Samples the replicas' own view: at most one of those on a live session leads at any moment. */
  const sampleLeaders =
    (replicas: NestExpressApplication[], deadSessionPid: number | null = null) =>
    () => {
      const leading = replicas
        .map((app) => app.get(LeaderElection))
        .filter((election) => election.isLeader() && election.view().sessionPid !== deadSessionPid);
      expect(leading.length).toBeLessThanOrEqual(1);
    };

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
    await waitFor('a cron run', async () => (await cronRunTimes(app, policy.body.id, '?')).length >= 2);
    expectOneRunPerSecond(await cronRunTimes(app, policy.body.id, '?'));
    await app.close();
    apps.splice(apps.indexOf(app), 1);
  });

  it('PostgreSQL: two replicas, one leader, each tick runs once; another takes over when the leader closes or its session dies', async () => {
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
    const both = sampleLeaders([first, second]);
    await waitFor('the follower registers the policy', () => second.get(RebalanceJobs).registeredPolicyIds().includes(policy.id), both);
    const before = (await cronRunTimes(first, policy.id)).length;
    // Three ticks with both timers armed: each runs once (both replicas running it would put two in a second).
    await waitFor('three cron runs', async () => (await cronRunTimes(first, policy.id)).length >= before + 3, both);
    expect((await leaderOf(first)).leader).toBe(true);
    expect((await leaderOf(second)).leader).toBe(false);
    expectOneRunPerSecond(await cronRunTimes(first, policy.id));

    // The leader goes away: its session ends, the lock frees, the follower takes it on a later try.
    await first.close();
    apps.splice(apps.indexOf(first), 1);
    const tookOverMs = await waitFor('the follower leads after the leader closed', async () => (await leaderOf(second)).leader === true);
    console.log(`follower became leader ${tookOverMs} ms after the leader closed (retry interval ${RETRY_MS} ms)`);
    const afterTakeover = (await cronRunTimes(second, policy.id)).length;
    await waitFor('a cron run on the new leader', async () => (await cronRunTimes(second, policy.id)).length > afterTakeover);

    // A leader that dies without a goodbye: PostgreSQL ends its session, which frees the lock.
    const third = await startTestApp({ databaseUrl: db.url, env });
    apps.push(third);
    expect((await leaderOf(third)).leader).toBe(false);
    const { sessionPid } = await leaderOf(second);
    expect(sessionPid).toEqual(expect.any(Number));
    const killedAt = Date.now();
    await third.get(DataSource).query('SELECT pg_terminate_backend($1)', [sessionPid]);
    // Until it next checks, the old leader still believes it leads on the dead session; any job it fires
    // confirms first. Of the replicas on live sessions, one at most leads at any moment.
    const live = sampleLeaders([second, third], sessionPid as number);
    // The old leader finds its session gone and asks again on a new session; one replica (either: the lock
    // is free for whoever asks first) leads on a live session.
    await waitFor(
      'the old leader steps down from the dead session',
      () => second.get(LeaderElection).view().sessionPid !== sessionPid,
      live,
    );
    await waitFor(
      'a replica leads on a live session',
      async () => [await leaderOf(second), await leaderOf(third)].some((v) => v.leader && v.sessionPid !== sessionPid),
      live,
    );
    const ledAfterKillMs = Date.now() - killedAt;
    const views = [await leaderOf(second), await leaderOf(third)];
    expect(views.filter((v) => v.leader)).toHaveLength(1);
    expect(views.every((v) => v.sessionPid !== sessionPid)).toBe(true);
    const newLeader = views[0].leader ? second : third;
    const afterKill = (await cronRunTimes(newLeader, policy.id)).length;
    await waitFor('a cron run after the session died', async () => (await cronRunTimes(newLeader, policy.id)).length > afterKill, live);
    expectOneRunPerSecond(await cronRunTimes(newLeader, policy.id));
    const who = newLeader === third ? 'a follower' : 'the old leader, on a new session,';
    console.log(`after the leader's session was killed ${who} led within ${ledAfterKillMs} ms`);
  });
});
