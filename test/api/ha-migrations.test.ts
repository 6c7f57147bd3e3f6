import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, OPERATOR } from '../support/api/test-app';
import { createTestDatabase, type TestDatabase } from '../support/api/test-database';
import { HaCluster, waitFor, type Replica } from '../support/ha/ha-cluster';

const MiB = 1024 * 1024;
const TERMINAL = ['completed', 'failed', 'aborted', 'rolled-back'];
// The engine's defaults (KubeVirt's): 5 per cluster, 2 out and 2 in per host.
const LIMITS = { perCluster: 5, perOutboundHost: 2, perInboundHost: 2 };

describe('three controller replicas on one PostgreSQL', () => {
  let db: TestDatabase;
  let cluster: HaCluster;
  let flavorId = '';
  let guestNo = 0;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    cluster = new HaCluster(db.url);
    for (let i = 0; i < 3; i++) await cluster.start();
    for (let i = 1; i <= 6; i++) await cluster.addHost(`h${i}`, `192.0.2.${10 + i}`);
    flavorId = await cluster.addFlavor('ha.small', 512);
  });

  afterAll(async () => {
    await cluster?.close();
    await db?.drop();
  });

  const sql = <T>(text: string, params: unknown[] = []): Promise<T[]> => cluster.replica(0).app.get(DataSource).query(text, params);
  const guest = (host: string, options: Parameters<HaCluster['addGuest']>[3] = {}) =>
    (async () => {
      const domain = `ha-vm-${++guestNo}`;
      return { domain, id: await cluster.addGuest(host, domain, flavorId, { ramBytes: 64 * MiB, ...options }) };
    })();
  const migrate = (r: Replica, instanceId: string, destination: string) =>
    r
      .http()
      .post('/migrations')
      .set(auth(OPERATOR))
      .send({ instanceId, destinationHostId: cluster.hostIds.get(destination) });
  const record = async (id: string) => (await cluster.replica(0).http().get(`/migrations/${id}`).set(auth(OPERATOR))).body;
  const ended = (id: string) => waitFor(`migration ${id} ends`, async () => TERMINAL.includes((await record(id)).state));
  const openReservations = async (migrationId: string) =>
    Number(
      (await sql<{ n: string }>('SELECT COUNT(*) AS n FROM reservations WHERE migration_id = $1 AND released_at IS NULL', [migrationId]))[0]
        .n,
    );

  it('50 concurrent requests for one instance over three replicas: exactly one 202, the rest 409', async () => {
    cluster.libvirt.bandwidthBytesPerSec = 200 * MiB;
    const vm = await guest('h1');
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => migrate(cluster.replica(i), vm.id, 'h2')));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const conflict = answers.find((a) => a.status === 409)!;
    expect(conflict.body.message).toMatch(/already migrating/);
    const accepted = answers.find((a) => a.status === 202)!;
    await ended(accepted.body.id);
    expect((await record(accepted.body.id)).state).toBe('completed');
    expect(cluster.libvirt.migrationsOf(vm.domain)).toBe(1);
    const rows = await sql<{ n: string }>('SELECT COUNT(*) AS n FROM live_migrations WHERE instance_id = $1', [vm.id]);
    expect(Number(rows[0].n)).toBe(1);
    console.log(`one instance, 50 requests over 3 replicas: ${statuses.filter((s) => s === 202).length} accepted, duplicates 0`);
  });

  it('30 migrations spread over the replicas: peak running within every limit at the fake libvirt, started in order', async () => {
    // About 1.5 s each, so the queue has to hold them back.
    cluster.libvirt.bandwidthBytesPerSec = 48 * MiB;
    const moves: { id: string; domain: string; from: string; to: string }[] = [];
    for (let h = 1; h <= 6; h++)
      for (let k = 0; k < 5; k++) moves.push({ ...(await guest(`h${h}`)), from: `h${h}`, to: `h${(h % 6) + 1}` });
    cluster.libvirt.resetPeaks();
    // One after the other (so "the order asked" means something), each slow enough that the queue fills.
    const answers = [];
    for (const [i, m] of moves.entries()) answers.push(await migrate(cluster.replica(i), m.id, m.to));
    expect(answers.map((a) => a.status)).toEqual(moves.map(() => 202));
    for (const a of answers) await ended(a.body.id);
    for (const a of answers) expect((await record(a.body.id)).state).toBe('completed');

    const peakOut = Math.max(...cluster.libvirt.peakOutbound.values());
    const peakIn = Math.max(...cluster.libvirt.peakInbound.values());
    const peakCluster = cluster.libvirt.peakConcurrentMigrations;
    console.log(
      `30 migrations over 3 replicas: peak ${peakCluster}/${LIMITS.perCluster} cluster, ${peakOut}/${LIMITS.perOutboundHost} out, ${peakIn}/${LIMITS.perInboundHost} in per host`,
    );
    expect(peakCluster).toBeLessThanOrEqual(LIMITS.perCluster);
    expect(peakOut).toBeLessThanOrEqual(LIMITS.perOutboundHost);
    expect(peakIn).toBeLessThanOrEqual(LIMITS.perInboundHost);
    // The limits were reached (the test would prove nothing if they never bound).
    expect(peakCluster).toBe(LIMITS.perCluster);
    // One queue for the cluster, oldest first: moves off one host start in the order the database recorded
    // them; two admitted together may reach libvirt in either order (their pre-checks run on different replicas).
    const asked = await sql<{ domain_name: string; source_host_id: string }>(
      'SELECT domain_name, source_host_id FROM live_migrations WHERE id = ANY($1) ORDER BY created_at, id',
      [answers.map((a) => a.body.id)],
    );
    for (let h = 1; h <= 6; h++) {
      const order = asked.filter((r) => r.source_host_id === cluster.hostIds.get(`h${h}`)).map((r) => r.domain_name);
      const started = cluster.libvirt.starts.filter((s) => s.sourceUri === cluster.hostUris.get(`h${h}`)).map((s) => s.domain);
      expect(started.slice().sort()).toEqual(order.slice().sort());
      for (const [k, domain] of order.entries()) expect(Math.abs(started.indexOf(domain) - k)).toBeLessThan(LIMITS.perOutboundHost);
    }
    for (const m of moves) expect(cluster.runningOn(m.domain)).toEqual([m.to]);
    const open = await sql<{ n: string }>('SELECT COUNT(*) AS n FROM reservations WHERE released_at IS NULL');
    expect(Number(open[0].n)).toBe(0);
    // Every replica ran some of them.
    const owners = await sql<{ owner_id: string }>('SELECT DISTINCT owner_id FROM live_migrations WHERE id = ANY($1)', [
      answers.map((a) => a.body.id),
    ]);
    expect(owners.length).toBeGreaterThan(1);
  });

  it('an abort sent to a replica that does not run the migration aborts it', async () => {
    cluster.libvirt.bandwidthBytesPerSec = 32 * MiB;
    const vm = await guest('h1', { ramBytes: 256 * MiB, dirtyRateBytesPerSec: 24 * MiB });
    const accepted = await migrate(cluster.replica(0), vm.id, 'h2');
    expect(accepted.status).toBe(202);
    const id: string = accepted.body.id;
    await waitFor('pre-copy', async () => (await record(id)).state === 'pre-copy');
    const [{ owner_id: owner }] = await sql<{ owner_id: string }>('SELECT owner_id FROM live_migrations WHERE id = $1', [id]);
    expect(cluster.replicas.map((r) => r.id)).toContain(owner);
    const other = cluster.replicas.find((r) => r.id !== owner)!;
    const abort = await other.http().post(`/migrations/${id}/abort`).set(auth(OPERATOR)).send({});
    expect(abort.status).toBe(202);
    const tookMs = await waitFor('aborted', async () => TERMINAL.includes((await record(id)).state));
    const done = await record(id);
    expect(done.state).toBe('aborted');
    expect(cluster.runningOn(vm.domain)).toEqual(['h1']);
    expect(await openReservations(id)).toBe(0);
    console.log(`abort through ${other.id} (owner ${owner}) ended the migration ${tookMs} ms later`);
  });

  it('a replica starting beside live ones leaves their leased migrations alone', async () => {
    cluster.libvirt.bandwidthBytesPerSec = 64 * MiB;
    const vm = await guest('h3', { ramBytes: 256 * MiB });
    const accepted = await migrate(cluster.replica(1), vm.id, 'h4');
    const id: string = accepted.body.id;
    await waitFor('pre-copy', async () => (await record(id)).state === 'pre-copy');
    const [{ owner_id: owner }] = await sql<{ owner_id: string }>('SELECT owner_id FROM live_migrations WHERE id = $1', [id]);
    const late = await cluster.start();
    await ended(id);
    const done = await record(id);
    expect(done.state).toBe('completed');
    expect(done.phases.filter((p: { phase: string }) => TERMINAL.includes(p.phase))).toHaveLength(1);
    const [{ owner_id: after }] = await sql<{ owner_id: string }>('SELECT owner_id FROM live_migrations WHERE id = $1', [id]);
    expect(after).toBe(owner);
    expect(after).not.toBe(late.id);
  });

  it('server-sent events of a migration are served by a replica that does not run it', async () => {
    cluster.libvirt.bandwidthBytesPerSec = 64 * MiB;
    const vm = await guest('h2', { ramBytes: 192 * MiB });
    const accepted = await migrate(cluster.replica(0), vm.id, 'h3');
    const id: string = accepted.body.id;
    await waitFor(
      'owned',
      async () => (await sql<{ owner_id: string | null }>('SELECT owner_id FROM live_migrations WHERE id = $1', [id]))[0].owner_id !== null,
    );
    const [{ owner_id: owner }] = await sql<{ owner_id: string }>('SELECT owner_id FROM live_migrations WHERE id = $1', [id]);
    const other = cluster.replicas.find((r) => r.id !== owner)!;
    const stream = await other
      .http()
      .get(`/migrations/${id}/events`)
      .set(auth(OPERATOR))
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => done(null, text));
      });
    const body = stream.body as string;
    expect(body).toContain('event: sample');
    expect(body).toMatch(/"phase":"completed"/);
    expect(body.indexOf('"phase":"pre-copy"')).toBeLessThan(body.indexOf('"phase":"completed"'));
  });

  it('the owner SIGKILLed mid-copy: another replica adopts it within 30 s; record, reservations and placement right', async () => {
    cluster.libvirt.bandwidthBytesPerSec = 48 * MiB;
    const vm = await guest('h5', { ramBytes: 384 * MiB });
    const accepted = await migrate(cluster.replica(2), vm.id, 'h6');
    const id: string = accepted.body.id;
    await waitFor('pre-copy', async () => (await record(id)).state === 'pre-copy');
    const [{ owner_id: owner }] = await sql<{ owner_id: string }>('SELECT owner_id FROM live_migrations WHERE id = $1', [id]);
    const victim = cluster.replicas.find((r) => r.id === owner)!;
    expect(victim).toBeDefined();
    await cluster.kill(victim);
    const killedAt = Date.now();
    const adoptedMs = await waitFor(
      'adopted',
      async () => (await sql<{ owner_id: string }>('SELECT owner_id FROM live_migrations WHERE id = $1', [id]))[0].owner_id !== owner,
    );
    await ended(id);
    const endedMs = Date.now() - killedAt;
    const done = await record(id);
    console.log(`owner ${owner} killed mid-copy: adopted after ${adoptedMs} ms, record ${done.state} after ${endedMs} ms`);
    expect(adoptedMs).toBeLessThanOrEqual(30_000);
    expect(done.state).toBe('completed');
    expect(done.phases.filter((p: { phase: string }) => TERMINAL.includes(p.phase))).toHaveLength(1);
    expect(cluster.runningOn(vm.domain)).toEqual(['h6']);
    const instance = (await cluster.replica(0).http().get(`/instances/${vm.id}`).set(auth(OPERATOR))).body;
    expect(instance.hostId).toBe(cluster.hostIds.get('h6'));
    expect(await openReservations(id)).toBe(0);
  });
});
