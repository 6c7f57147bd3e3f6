import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { DrainsService } from '../../src/migration/drain/drains.service';
import { LiveMigrationEntity } from '../../src/migration/records/live-migration.entity';
import { completedMigrationRow } from '../support/api/migration-row';
import { FakeAgents } from '../support/migration/fake-agents';
import { FakeLibvirt } from '../support/migration/fake-libvirt';
import { startFakeFleetApp, auth, ANALYST, OPERATOR, sampleHost } from '../support/api/test-app';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../support/api/test-database';

const MiB = 1024 * 1024;

// Sources s1..s4 are drained one per test; ra and rb receive; rm is in maintenance, rd's agent is down.
const HOSTS = [
  ['s1', 21],
  ['s2', 22],
  ['s3', 23],
  ['s4', 24],
  ['s5', 25],
  ['s6', 26],
  ['ra', 31],
  ['rb', 32],
  ['rm', 33],
  ['rd', 34],
] as const;
type HostName = (typeof HOSTS)[number][0];

interface MoveRow {
  instanceId: string;
  instanceName: string;
  destinationHostId: string | null;
  migrationId: string | null;
  outcome: string;
  reason: string | null;
}

describe.each<DatabaseKind>(['sqlite', 'postgres'])('host drain on %s', (kind) => {
  let db: TestDatabase;
  let app: NestExpressApplication;
  const start = () => startFakeFleetApp(db.url, { libvirt, agentFactory: agents.factory });
  const libvirt = new FakeLibvirt();
  const agents = new FakeAgents();
  const hostIds = {} as Record<HostName, string>;
  const uriOf = {} as Record<HostName, string>;
  let smallFlavor = '';
  let hugeFlavor = '';
  let guestNo = 0;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    app = await start();
    agents.down.add('rd');
    for (const [name, n] of HOSTS) {
      const ip = `192.0.2.${n}`;
      uriOf[name] = `qemu+tcp://${ip}/system`;
      libvirt.addHost(uriOf[name]);
      const res = await http()
        .post('/hosts')
        .set(auth(OPERATOR))
        .send(
          sampleHost(name, {
            libvirtUri: uriOf[name],
            migrationAddress: ip,
            memoryMiB: 65536,
            vcpus: 64,
            agentEndpoint: `http://${ip}:7070`,
            agentToken: `agent-token-${name}`,
            ...(name === 'rm' ? { state: 'maintenance' } : {}),
          }),
        );
      expect(res.status).toBe(201);
      hostIds[name] = res.body.id;
    }
    smallFlavor = (await http().post('/flavors').set(auth(OPERATOR)).send({ name: 'drain.small', vcpus: 1, ramMiB: 512, diskGiB: 0 })).body
      .id;
    hugeFlavor = (await http().post('/flavors').set(auth(OPERATOR)).send({ name: 'drain.huge', vcpus: 8, ramMiB: 60000, diskGiB: 0 })).body
      .id;
    // Fill ra and rb so the huge guest fits nowhere: it is unplaceable for RAM, not for lack of hosts.
    for (const h of ['ra', 'rb'] as const) await guest(h, { flavor: hugeFlavor });
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  async function guest(
    host: HostName,
    options: { flavor?: string; inLibvirt?: boolean; ramBytes?: number } = {},
  ): Promise<{ id: string; domain: string }> {
    const domain = `drain-${kind}-${++guestNo}`;
    if (options.inLibvirt !== false) libvirt.addGuest(uriOf[host], domain, { ramBytes: options.ramBytes ?? 32 * MiB });
    const res = await http()
      .post('/instances')
      .set(auth(OPERATOR))
      .send({
        name: domain,
        domainName: domain,
        domainUuid: crypto.randomUUID(),
        flavorId: options.flavor ?? smallFlavor,
        hostId: hostIds[host],
      });
    expect(res.status).toBe(201);
    return { id: res.body.id, domain };
  }

  async function finishedDrain(id: string) {
    await app.get(DrainsService).whenDone(id);
    const res = await http().get(`/drains/${id}`).set(auth(ANALYST));
    expect(res.status).toBe(200);
    return res.body as { state: string; failureReason: string | null; moves: MoveRow[]; plan: { moves: unknown[] } };
  }

  const hostState = async (name: HostName) => (await http().get(`/hosts/${hostIds[name]}`).set(auth(OPERATOR))).body.state as string;

  it('plans a dry run from the inventory and never targets a host in maintenance or with its agent down', async () => {
    const vms = [await guest('s1'), await guest('s1'), await guest('s1')];
    const huge = await guest('s1', { flavor: hugeFlavor });
    const res = await http().post(`/hosts/${hostIds.s1}/drain`).set(auth(OPERATOR)).send({ dryRun: true });
    expect(res.status).toBe(200);
    const plan = res.body;
    expect(plan.hostId).toBe(hostIds.s1);
    expect(plan.moves).toHaveLength(4);
    expect(plan.unplaceable).toEqual([]);
    // Biggest first, each on the host with the most free RAM: never rm (maintenance) nor rd (agent down).
    for (const move of plan.moves) expect([hostIds.s2, hostIds.s3, hostIds.s4, hostIds.s5, hostIds.s6]).toContain(move.destinationHostId);
    const excluded = Object.fromEntries(plan.excludedDestinations.map((e: { hostName: string; reason: string }) => [e.hostName, e.reason]));
    expect(excluded).toEqual({ rm: 'host is maintenance', rd: expect.stringMatching(/^agent down: /) });
    expect(plan.moves.map((m: { order: number }) => m.order)).toEqual([0, 1, 2, 3]);
    expect(plan.predictedMakespanSec).toBeGreaterThan(0);
    expect(plan.predictedMakespanSec).toBeGreaterThanOrEqual(plan.lowerBoundSec - 1e-9);

    // Backup nodes only: ra and rb are nearly full, rm and rd cannot receive, so the huge guest has nowhere to go.
    const narrow = await http()
      .post(`/hosts/${hostIds.s1}/drain`)
      .set(auth(OPERATOR))
      .send({ dryRun: true, destinations: [hostIds.ra, hostIds.rb, hostIds.rm, hostIds.rd] });
    expect(narrow.status).toBe(200);
    expect(narrow.body.moves).toHaveLength(3);
    expect(narrow.body.moves.map((m: { instanceId: string }) => m.instanceId).sort()).toEqual(vms.map((v) => v.id).sort());
    for (const move of narrow.body.moves) {
      expect([hostIds.ra, hostIds.rb]).toContain(move.destinationHostId);
      expect(move).toMatchObject({
        memoryMiB: 512,
        converges: true,
        predictedTimeSec: expect.any(Number),
        predictedDowntimeMs: expect.any(Number),
      });
      expect(move.predictedTimeSec).toBeGreaterThan(0);
    }
    expect(narrow.body.unplaceable).toEqual([
      {
        instanceId: huge.id,
        instanceName: huge.domain,
        reason: 'no valid host: excluded (5), insufficient-ram (2), agent-down (1), maintenance (1)',
        rejections: [
          { reason: 'excluded', hostCount: 5 },
          { reason: 'insufficient-ram', hostCount: 2 },
          { reason: 'agent-down', hostCount: 1 },
          { reason: 'maintenance', hostCount: 1 },
        ],
      },
    ]);
    // A dry run changes nothing.
    expect(await hostState('s1')).toBe('enabled');
    expect((await http().get('/drains').set(auth(OPERATOR))).body).toHaveLength(0);
  });

  it('validates the request and needs the operator role', async () => {
    const bad = await http()
      .post(`/hosts/${hostIds.s1}/drain`)
      .set(auth(OPERATOR))
      .send({ dryRun: 'yes', maxParallel: 0, destinations: ['nope'] });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['destinations', 'dryRun', 'maxParallel']);
    expect((await http().post(`/hosts/${hostIds.s1}/drain`).set(auth(ANALYST)).send({ dryRun: true })).status).toBe(403);
    expect((await http().post(`/hosts/${crypto.randomUUID()}/drain`).set(auth(OPERATOR)).send({ dryRun: true })).status).toBe(404);
    const unknownDestination = await http()
      .post(`/hosts/${hostIds.s1}/drain`)
      .set(auth(OPERATOR))
      .send({ dryRun: true, destinations: [crypto.randomUUID()] });
    expect(unknownDestination.status).toBe(422);
  });

  it('moves every instance off the host, which ends in maintenance, with an outcome per instance', async () => {
    const vms = [await guest('s2'), await guest('s2'), await guest('s2')];
    const res = await http()
      .post(`/hosts/${hostIds.s2}/drain`)
      .set(auth(OPERATOR))
      .send({ dryRun: false, maxParallel: 2, destinations: [hostIds.ra, hostIds.rb] });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ hostId: hostIds.s2, state: 'running', maxParallel: 2 });
    expect(res.body.moves).toHaveLength(3);
    expect(await hostState('s2')).toBe('maintenance');
    // A second drain of the same host while this one runs is a conflict.
    expect((await http().post(`/hosts/${hostIds.s2}/drain`).set(auth(OPERATOR)).send({ dryRun: false })).status).toBe(409);

    const done = await finishedDrain(res.body.id);
    expect(done.state).toBe('completed');
    expect(done.moves.map((m) => m.outcome)).toEqual(['completed', 'completed', 'completed']);
    for (const move of done.moves) {
      expect(move.migrationId).toEqual(expect.any(String));
      const migration = (await http().get(`/migrations/${move.migrationId}`).set(auth(OPERATOR))).body;
      expect(migration).toMatchObject({ state: 'completed', instanceId: move.instanceId, destinationHostId: move.destinationHostId });
    }
    for (const vm of vms) {
      const instance = (await http().get(`/instances/${vm.id}`).set(auth(OPERATOR))).body;
      expect(instance.hostId).not.toBe(hostIds.s2);
      expect(libvirt.whereIs(vm.domain)).toHaveLength(1);
      expect(libvirt.whereIs(vm.domain)[0].uri).not.toBe(uriOf.s2);
    }
    expect(await hostState('s2')).toBe('maintenance');
    // The drained host is now excluded as a destination of other drains.
    const other = await http().post(`/hosts/${hostIds.s4}/drain`).set(auth(OPERATOR)).send({ dryRun: true });
    expect(other.body.excludedDestinations.map((e: { hostName: string }) => e.hostName)).toContain('s2');
  });

  it('records unplaceable and refused instances with their reasons, never dropping one', async () => {
    const ok = await guest('s3');
    const huge = await guest('s3', { flavor: hugeFlavor });
    const ghost = await guest('s3', { inLibvirt: false });
    const res = await http()
      .post(`/hosts/${hostIds.s3}/drain`)
      .set(auth(OPERATOR))
      .send({ dryRun: false, destinations: [hostIds.ra, hostIds.rb] });
    expect(res.status).toBe(202);
    const done = await finishedDrain(res.body.id);
    const byInstance = new Map(done.moves.map((m) => [m.instanceId, m]));
    expect(done.moves).toHaveLength(3);
    expect(byInstance.get(ok.id)).toMatchObject({ outcome: 'completed' });
    expect(byInstance.get(huge.id)).toMatchObject({
      outcome: 'unplaceable',
      destinationHostId: null,
      migrationId: null,
      reason: expect.stringMatching(/insufficient-ram/),
    });
    expect(byInstance.get(ghost.id)).toMatchObject({
      outcome: 'refused',
      migrationId: null,
      reason: expect.stringMatching(/^409 domain: /),
    });
    expect(done.state).toBe('failed');
    expect(done.failureReason).toBe('2 of 3 instances are still on the host');
  });

  it('cancel stops new moves; the running one finishes, the rest are skipped', async () => {
    libvirt.bandwidthBytesPerSec = 64 * MiB;
    try {
      for (let i = 0; i < 4; i++) await guest('s4', { ramBytes: 48 * MiB });
      const res = await http()
        .post(`/hosts/${hostIds.s4}/drain`)
        .set(auth(OPERATOR))
        .send({ dryRun: false, maxParallel: 1, destinations: [hostIds.ra, hostIds.rb] });
      expect(res.status).toBe(202);
      const cancel = await http().post(`/drains/${res.body.id}/cancel`).set(auth(OPERATOR)).send({ abortRunning: false });
      expect(cancel.status).toBe(202);
      const done = await finishedDrain(res.body.id);
      expect(done.state).toBe('cancelled');
      const outcomes = done.moves.map((m) => m.outcome);
      expect(outcomes.filter((o) => o === 'skipped').length).toBeGreaterThanOrEqual(3);
      expect(outcomes.filter((o) => o === 'completed').length).toBeLessThanOrEqual(1);
      expect(outcomes.every((o) => o === 'skipped' || o === 'completed')).toBe(true);
      expect(
        done.moves
          .filter((m) => m.outcome === 'skipped')
          .every((m) => m.reason === 'drain cancelled before this move started' && m.migrationId === null),
      ).toBe(true);
      expect((await http().post(`/drains/${res.body.id}/cancel`).set(auth(OPERATOR)).send({})).status).toBe(409);
    } finally {
      libvirt.bandwidthBytesPerSec = 200 * MiB;
    }
  });

  it('cancel with abortRunning aborts the running move; the stream reports moves and the end', async () => {
    libvirt.bandwidthBytesPerSec = 16 * MiB;
    try {
      const vms = [await guest('s5', { ramBytes: 64 * MiB }), await guest('s5', { ramBytes: 64 * MiB })];
      const res = await http()
        .post(`/hosts/${hostIds.s5}/drain`)
        .set(auth(OPERATOR))
        .send({ dryRun: false, maxParallel: 1, destinations: [hostIds.ra, hostIds.rb] });
      expect(res.status).toBe(202);
      const stream = http()
        .get(`/drains/${res.body.id}/events`)
        .set(auth(ANALYST))
        .buffer(true)
        .parse((r, done) => {
          let text = '';
          r.on('data', (chunk: Buffer) => (text += chunk.toString()));
          r.on('end', () => done(null, text));
        })
        .then((r) => r.body as string);
      // Wait until the first move's migration is copying.
      let migrationId: string | null = null;
      // Bounded by time, generously: a loaded machine answers slower, it does not fail the test.
      for (const startedAt = Date.now(); !migrationId && Date.now() - startedAt < 30_000;) {
        await new Promise((r) => setTimeout(r, 20));
        const current = (await http().get(`/drains/${res.body.id}`).set(auth(OPERATOR))).body as { moves: MoveRow[] };
        migrationId = current.moves.find((m) => m.outcome === 'running')?.migrationId ?? null;
      }
      expect(migrationId).toEqual(expect.any(String));
      await new Promise((r) => setTimeout(r, 150));
      expect((await http().post(`/drains/${res.body.id}/cancel`).set(auth(OPERATOR)).send({ abortRunning: true })).status).toBe(202);
      const done = await finishedDrain(res.body.id);
      expect(done.state).toBe('cancelled');
      expect(done.moves.map((m) => m.outcome)).toEqual(['aborted', 'skipped']);
      expect(done.moves[0].migrationId).toBe(migrationId);
      for (const vm of vms) expect(libvirt.whereIs(vm.domain)).toEqual([{ uri: uriOf.s5, state: 'running' }]);
      const events = await stream;
      expect(events).toContain('event: drain');
      expect(events).toMatch(/event: move\nid: \d+\ndata: \{[^\n]*"outcome":"aborted"/);
      expect(events).toMatch(/event: state\nid: \d+\ndata: \{"state":"cancelled"/);
    } finally {
      libvirt.bandwidthBytesPerSec = 200 * MiB;
    }
  });

  it('a drain interrupted by a controller restart is resumed by the next controller', async () => {
    libvirt.bandwidthBytesPerSec = 32 * MiB;
    try {
      const vms = [await guest('s6', { ramBytes: 32 * MiB }), await guest('s6', { ramBytes: 32 * MiB })];
      const res = await http()
        .post(`/hosts/${hostIds.s6}/drain`)
        .set(auth(OPERATOR))
        .send({ dryRun: false, maxParallel: 1, destinations: [hostIds.ra, hostIds.rb] });
      expect(res.status).toBe(202);
      for (const startedAt = Date.now(); Date.now() - startedAt < 30_000;) {
        const current = (await http().get(`/drains/${res.body.id}`).set(auth(OPERATOR))).body as { moves: MoveRow[] };
        if (current.moves.some((m) => m.outcome === 'running')) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await app.close();
      app = await start();
      const done = await finishedDrain(res.body.id);
      // The move that was copying ends as the engine's restart recovery settles it (completed, or failed with
      // the guest still on the source); the move that had not started is run by the new controller.
      const [interrupted, resumed] = done.moves;
      expect(resumed).toMatchObject({ outcome: 'completed', reason: null });
      const resumedMigration = (await http().get(`/migrations/${resumed.migrationId}`).set(auth(OPERATOR))).body;
      expect(resumedMigration.state).toBe('completed');
      if (interrupted.outcome === 'completed') {
        expect(done.state).toBe('completed');
      } else {
        expect(interrupted).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/controller restarted/) });
        expect(done).toMatchObject({ state: 'failed', failureReason: '1 of 2 instances are still on the host' });
      }
      const onHost = async (id: string) => (await http().get(`/instances/${id}`).set(auth(OPERATOR))).body.hostId as string;
      expect(await onHost(resumed.instanceId)).not.toBe(hostIds.s6);
      expect(vms.map((v) => v.id)).toContain(resumed.instanceId);
    } finally {
      libvirt.bandwidthBytesPerSec = 200 * MiB;
    }
  });

  it('plans a guest with the dirty rate libvirt measured before its last migration, not as an idle one', async () => {
    const busy = await guest('s5');
    const plannedTime = async () => {
      const res = await http().post(`/hosts/${hostIds.s5}/drain`).set(auth(OPERATOR)).send({ dryRun: true });
      expect(res.status).toBe(200);
      return (res.body.moves as { instanceId: string; predictedTimeSec: number }[]).find((m) => m.instanceId === busy.id)!.predictedTimeSec;
    };
    const idle = await plannedTime();
    const inputs = { dirtyRateBytesPerSec: 60 * MiB };
    await app.get<Repository<LiveMigrationEntity>>(getRepositoryToken(LiveMigrationEntity)).save(
      completedMigrationRow(900 + (kind === 'postgres' ? 1 : 0), [hostIds.s5, hostIds.s6], {
        instanceId: busy.id,
        precopyPrediction: {
          madeAt: new Date().toISOString(),
          inputs,
          prediction: null,
          error: null,
          notes: [],
        } as unknown as LiveMigrationEntity['precopyPrediction'],
      }),
    );
    const measured = await plannedTime();
    expect(measured).toBeGreaterThan(idle * 1.01);
  });
});
