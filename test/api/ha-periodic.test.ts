import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/api/test-database';
import { HaCluster, sleep, waitFor } from '../support/ha/ha-cluster';
import { DataSource } from 'typeorm';
import { LeaderElection } from '../../src/migration/leader/leader-election.service';

const HEARTBEAT_MS = 300;
const RESYNC_MS = 400;
const WINDOW_MS = 3000;
const HOSTS = 2;

describe('periodic work runs once per period across three replicas', () => {
  let db: TestDatabase;
  let cluster: HaCluster;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    cluster = new HaCluster(db.url, { LIVEMIG_HEARTBEAT_MS: String(HEARTBEAT_MS), LIVEMIG_NETWORK_RESYNC_MS: String(RESYNC_MS) });
    for (let i = 0; i < 3; i++) await cluster.start();
    for (let i = 1; i <= HOSTS; i++) await cluster.addHost(`p${i}`, `192.0.2.${40 + i}`);
    // The resync pushes to hosts with a VTEP.
    for (const [i, id] of [...cluster.hostIds.values()].entries())
      await cluster
        .replica(0)
        .app.get(DataSource)
        .query('UPDATE hosts SET vtep_ip = $1 WHERE id = $2', [`198.51.100.${i + 1}`, id]);
  });

  afterAll(async () => {
    await cluster?.close();
    await db?.drop();
  });

  /** Agent calls of each replica during one window. */
  async function countOver(windowMs: number, method: string): Promise<number[]> {
    const before = cluster.replicas.map((r) => r.gate.agentCalls.get(method) ?? 0);
    await sleep(windowMs);
    return cluster.replicas.map((r, i) => (r.gate.agentCalls.get(method) ?? 0) - before[i]);
  }

  it('heartbeat and resync on the leader only; after the leader dies another replica takes them over', async () => {
    await waitFor('a leader', () => cluster.replicas.some((r) => r.app.get(LeaderElection).isLeader()));
    const [beats, resyncs] = await Promise.all([countOver(WINDOW_MS, 'health'), countOver(WINDOW_MS, 'networkStatus')]);
    const periods = { heartbeat: WINDOW_MS / HEARTBEAT_MS, resync: WINDOW_MS / RESYNC_MS };
    const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    console.log(
      `in ${WINDOW_MS} ms: heartbeat calls per replica ${beats.join('/')} (${periods.heartbeat} periods × ${HOSTS} hosts), resync ${resyncs.join('/')} (${periods.resync} periods × ${HOSTS})`,
    );
    expect(beats.filter((n) => n > 0)).toHaveLength(1);
    expect(resyncs.filter((n) => n > 0)).toHaveLength(1);
    // Once per period, not three times: at most one round per period per host (a round may straddle the window).
    expect(total(beats)).toBeLessThanOrEqual((periods.heartbeat + 1) * HOSTS);
    expect(total(beats)).toBeGreaterThanOrEqual((periods.heartbeat - 3) * HOSTS);
    expect(total(resyncs)).toBeLessThanOrEqual((periods.resync + 1) * HOSTS);

    const leader = cluster.replicas.find((r) => r.app.get(LeaderElection).isLeader())!;
    await cluster.kill(leader);
    await waitFor('another leader', () => cluster.replicas.some((r) => r.app.get(LeaderElection).isLeader()));
    const after = await countOver(WINDOW_MS, 'health');
    console.log(`after the leader died: heartbeat calls per replica ${after.join('/')}`);
    expect(after.filter((n) => n > 0)).toHaveLength(1);
    expect(total(after)).toBeGreaterThanOrEqual((periods.heartbeat - 3) * HOSTS);
  });
});
