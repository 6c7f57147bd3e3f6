import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LibvirtError } from '../../src/migration/libvirt';
import { MigrationQueueService } from '../../src/migration/migration-queue.service';
import { FakeAgents } from '../support/migration/fake-agents';
import { FakeLibvirt } from '../support/migration/fake-libvirt';
import { startFakeFleetApp, auth, OPERATOR, sampleHost } from '../support/api/test-app';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../support/api/test-database';

const MiB = 1024 * 1024;

describe.each<DatabaseKind>(['sqlite', 'postgres'])('migration engine with fake libvirt on %s', (kind) => {
  let db: TestDatabase;
  let app: NestExpressApplication;
  const libvirt = new FakeLibvirt();
  const agents = new FakeAgents();
  const hostIds: Record<string, string> = {};
  let flavorId = '';
  let guestNo = 0;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    app = await startFakeFleetApp(db.url, { libvirt, agentFactory: agents.factory });
    for (const [name, ip, memoryMiB] of [
      ['fa', '192.0.2.11', 65536],
      ['fb', '192.0.2.12', 65536],
      ['fc', '192.0.2.13', 65536],
      ['tiny', '192.0.2.14', 64],
    ] as const) {
      const uri = `qemu+tcp://${ip}/system`;
      libvirt.addHost(uri);
      const res = await http()
        .post('/hosts')
        .set(auth(OPERATOR))
        .send(
          sampleHost(name, {
            libvirtUri: uri,
            migrationAddress: ip,
            memoryMiB,
            vcpus: memoryMiB > 64 ? 64 : 1,
            agentEndpoint: `http://${ip}:7070`,
            agentToken: `agent-token-${name}`,
          }),
        );
      hostIds[name] = res.body.id;
    }
    flavorId = (await http().post('/flavors').set(auth(OPERATOR)).send({ name: 'lab.small', vcpus: 1, ramMiB: 512, diskGiB: 0 })).body.id;
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  afterEach(() => {
    libvirt.failWith = null;
    libvirt.down.clear();
    agents.down.clear();
    agents.storageGroup.clear();
  });

  async function guest(host: string, guestOptions: Parameters<FakeLibvirt['addGuest']>[2] = {}): Promise<{ id: string; domain: string }> {
    const domain = `instance-${kind}-${++guestNo}`;
    const uri = `qemu+tcp://192.0.2.${{ fa: 11, fb: 12, fc: 13 }[host]}/system`;
    libvirt.addGuest(uri, domain, { ramBytes: 64 * MiB, ...guestOptions });
    const res = await http()
      .post('/instances')
      .set(auth(OPERATOR))
      .send({ name: domain, domainName: domain, domainUuid: crypto.randomUUID(), flavorId, hostId: hostIds[host] });
    expect(res.status).toBe(201);
    return { id: res.body.id, domain };
  }

  async function finished(id: string) {
    await app.get(MigrationQueueService).whenDone(id);
    for (let i = 0; i < 200; i++) {
      const res = await http().get(`/migrations/${id}`).set(auth(OPERATOR));
      if (['completed', 'failed', 'aborted', 'rolled-back'].includes(res.body.state)) return res.body;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`migration ${id} did not end`);
  }

  async function openReservations(): Promise<number> {
    const rows = await app.get(DataSource).query('SELECT COUNT(*) AS n FROM reservations WHERE released_at IS NULL');
    return Number(rows[0].n);
  }

  it('runs the five phases, samples job stats and keeps the hypervisor figures', async () => {
    const vm = await guest('fa', { ramBytes: 128 * MiB, dirtyRateBytesPerSec: 8 * MiB });
    libvirt.bandwidthBytesPerSec = 256 * MiB;
    const res = await http().post('/migrations').set(auth(OPERATOR)).send({ instanceId: vm.id, destinationHostId: hostIds.fb });
    expect(res.status).toBe(202);
    // Admission runs before the answer, so the run may already have left the queue when the 202 is written.
    expect(['queued', 'pre-migration', 'reservation', 'pre-copy', 'switchover', 'commitment']).toContain(res.body.state);
    const done = await finished(res.body.id);
    expect(done.state).toBe('completed');
    expect(done.phases.map((p: { phase: string }) => p.phase)).toEqual([
      'queued',
      'pre-migration',
      'reservation',
      'pre-copy',
      'switchover',
      'commitment',
      'completed',
    ]);
    const times = done.phases.map((p: { enteredAt: string }) => Date.parse(p.enteredAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(done.sampleCount).toBeGreaterThanOrEqual(2);
    expect(done.hvDowntimeMs).toBeGreaterThan(0);
    expect(done.hvTotalTimeMs).toBeGreaterThan(0);
    expect(done.hvIterations).toBeGreaterThanOrEqual(1);
    expect(libvirt.whereIs(vm.domain)).toEqual([{ uri: 'qemu+tcp://192.0.2.12/system', state: 'running' }]);
    expect((await http().get(`/instances/${vm.id}`).set(auth(OPERATOR))).body).toMatchObject({ hostId: hostIds.fb, state: 'active' });
    expect(await openReservations()).toBe(0);
    const flags = libvirt.migrateRequests.at(-1)!.flags;
    expect([...flags]).toEqual(expect.arrayContaining(['LIVE', 'PEER2PEER', 'PERSIST_DEST', 'UNDEFINE_SOURCE', 'UNSAFE']));
    const samples = (await http().get(`/migrations/${res.body.id}/samples`).set(auth(OPERATOR))).body;
    expect(samples.length).toBe(done.sampleCount);
    expect(samples[0]).toMatchObject({ dataTotalBytes: 128 * MiB, memoryIteration: expect.any(Number) });
    // The fake agents' captures are empty: the report is ready and says what it could not measure.
    const report = (await http().get(`/migrations/${res.body.id}/report`).set(auth(OPERATOR))).body;
    expect(report.reportState).toBe('ready');
    expect(report.pathChanges).toEqual([]);
    expect(report.downtime).toMatchObject({ networkMs: null, hypervisorMs: done.hvDowntimeMs });
    expect(report.detail.notes.join(' ')).toMatch(/no migration stream between the two hosts was captured/);
    // The pre-copy model ran before the copy on what libvirt and the agent said, and its error is kept.
    expect(done.prediction.inputs).toMatchObject({
      dirtyRateBytesPerSec: 8 * MiB,
      // The default policy's fast start: QEMU's 1 s window only (the first pass checks the choice again).
      dirtyWindows: [{ seconds: 1, bytes: 8 * MiB }],
      workingSetBytes: null,
      // The fake agent's host holds all of the guest's RAM, none of it zero.
      residentSource: 'host-nonzero',
      bandwidthSource: 'link-speed',
      bandwidthBytesPerSec: 10e9 / 8,
    });
    expect(done.prediction).toMatchObject({
      converges: true,
      iterations: expect.any(Number),
      totalTimeMs: expect.any(Number),
      downtimeMs: expect.any(Number),
    });
    // The default policy chose its strategy before the start and says why; every action it took was real.
    expect(done.policyName).toBe('livemig-default');
    expect(done.prediction.strategy.choice).toMatchObject({ kind: 'pre-copy', multifdChannels: 1, postCopyEnabled: true });
    expect(done.prediction.strategy.choice.reason).toMatch(/converges in \d+ rounds/);
    expect(done.prediction.strategy).toMatchObject({ libvirtVersion: '9.0.0', qemuVersion: '7.2.0' });
    expect(done.convergenceEvents[0]).toMatchObject({ atMs: 0, action: 'start-strategy', outcome: 'applied' });
    expect(done.convergenceEvents.filter((e: { outcome: string }) => e.outcome !== 'applied')).toEqual([]);
    expect([...flags]).toContain('POSTCOPY');
    // The API groups the prediction and says its error in percent; the flat columns stay off the answer.
    expect(done).not.toHaveProperty('predTotalTimeMs');
    expect(done).not.toHaveProperty('precopyPrediction');
    expect(done.prediction.totalTimeErrorPct).toBeCloseTo(
      (100 * (done.prediction.totalTimeMs - done.hvTotalTimeMs)) / done.hvTotalTimeMs,
      7,
    );
    expect(report.prediction).toMatchObject({
      totalTimeMs: done.prediction.totalTimeMs,
      converges: true,
    });
    expect(report.prediction.totalTimeError * 100).toBeCloseTo(done.prediction.totalTimeErrorPct, 7);
    expect(report.totalTime.predictedMs).toBe(done.prediction.totalTimeMs);
  });

  it('records at pre-migration the peers whose path class the move changes, and the report lists them', async () => {
    const op = <T extends request.Test>(t: T) => t.set(auth(OPERATOR));
    const vm = await guest('fa');
    const network = (await op(http().post('/networks')).send({ name: `pc-${kind}`, vni: kind === 'sqlite' ? 861 : 862 })).body.id as string;
    const subnetId = (
      await op(http().post('/subnets')).send({ networkId: network, cidr: kind === 'sqlite' ? '10.86.1.0/24' : '10.86.2.0/24' })
    ).body.id as string;
    const own = await op(http().post('/ports')).send({ subnetId, host: 'fa', deviceId: vm.id });
    const peer = await op(http().post('/ports')).send({ subnetId, host: 'fb', deviceId: crypto.randomUUID() });
    expect([own.status, peer.status]).toEqual([201, 201]);
    const res = await op(http().post('/migrations')).send({ instanceId: vm.id, destinationHostId: hostIds.fb });
    expect(res.status).toBe(202);
    expect((await finished(res.body.id)).state).toBe('completed');
    const report = (await op(http().get(`/migrations/${res.body.id}/report`))).body;
    expect(report.pathChanges).toEqual([
      {
        portId: own.body.id,
        peer: expect.objectContaining({ kind: 'port', portId: peer.body.id, fixedIp: peer.body.fixedIp }),
        from: 'inter-node-intra-subnet',
        to: 'intra-node-intra-subnet',
      },
    ]);
    const page = (await op(http().get('/reports'))).text;
    expect(page).toContain(
      `<tr data-port-id="${own.body.id}"><td class="text">${peer.body.fixedIp} on fb</td><td class="text">inter-node-intra-subnet</td><td class="text">intra-node-intra-subnet</td></tr>`,
    );
  });

  it('streams phases and samples as server-sent events until the end', async () => {
    const vm = await guest('fa');
    const created = await http().post('/migrations').set(auth(OPERATOR)).send({ instanceId: vm.id, destinationHostId: hostIds.fb });
    const stream = await http()
      .get(`/migrations/${created.body.id}/events`)
      .set(auth(OPERATOR))
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => done(null, text));
      });
    const body = stream.body as string;
    expect(body).toContain('event: phase');
    expect(body).toMatch(/"phase":"completed"/);
    expect(body.indexOf('"phase":"pre-copy"')).toBeLessThan(body.indexOf('"phase":"completed"'));
  });

  it('lets the scheduler pick the host with the most free RAM', async () => {
    const vm = await guest('fa');
    const res = await http().post('/migrations').set(auth(OPERATOR)).send({ instanceId: vm.id });
    expect(res.status).toBe(202);
    expect(res.body.destinationHostId).not.toBe(hostIds.fa);
    expect(res.body.destinationHostId).not.toBe(hostIds.tiny);
    expect((await finished(res.body.id)).state).toBe('completed');
  });

  it('raises the max downtime in steps until a busy guest converges', async () => {
    // Net progress of 4 MiB/s: the remainder only fits once the allowed downtime has risen.
    const vm = await guest('fa', { ramBytes: 64 * MiB, dirtyRateBytesPerSec: 60 * MiB });
    libvirt.bandwidthBytesPerSec = 64 * MiB;
    const res = await http()
      .post('/migrations')
      .set(auth(OPERATOR))
      .send({
        instanceId: vm.id,
        destinationHostId: hostIds.fb,
        policy: { maxDowntimeMs: 900, downtimeSteps: 3, downtimeDelaySecPerGiB: 1, completionTimeoutSecPerGiB: 0, progressTimeoutSec: 0 },
      });
    const done = await finished(res.body.id);
    expect(done.state).toBe('completed');
    const raised = done.convergenceEvents
      .filter((e: { action: string }) => e.action === 'set-max-downtime')
      .map((e: { detail: { downtimeMs: number } }) => e.detail.downtimeMs);
    expect(raised.length).toBeGreaterThanOrEqual(2);
    expect([...raised].sort((a, b) => a - b)).toEqual(raised);
    expect(raised.at(-1)).toBeGreaterThan(raised[0]);
  });

  it('aborts on the completion timeout and leaves the guest on the source', async () => {
    const vm = await guest('fa', { ramBytes: 256 * MiB, dirtyRateBytesPerSec: 200 * MiB });
    libvirt.bandwidthBytesPerSec = 128 * MiB;
    const res = await http()
      .post('/migrations')
      .set(auth(OPERATOR))
      .send({
        instanceId: vm.id,
        destinationHostId: hostIds.fb,
        policy: { maxDowntimeMs: 50, completionTimeoutSecPerGiB: 1, timeoutAction: 'abort', progressTimeoutSec: 0 },
      });
    const done = await finished(res.body.id);
    expect(done.state).toBe('aborted');
    expect(done.failureReason).toMatch(/completion-timeout/);
    expect(libvirt.whereIs(vm.domain)).toEqual([{ uri: 'qemu+tcp://192.0.2.11/system', state: 'running' }]);
    expect(await openReservations()).toBe(0);
  });

  it('force-completes by pausing the guest when post-copy is not allowed (Nova)', async () => {
    const vm = await guest('fa', { ramBytes: 256 * MiB, dirtyRateBytesPerSec: 200 * MiB });
    libvirt.bandwidthBytesPerSec = 128 * MiB;
    const res = await http()
      .post('/migrations')
      .set(auth(OPERATOR))
      .send({
        instanceId: vm.id,
        destinationHostId: hostIds.fb,
        policy: {
          maxDowntimeMs: 50,
          completionTimeoutSecPerGiB: 1,
          timeoutAction: 'force-complete',
          forceCompleteMaxDowntimeMs: null,
          progressTimeoutSec: 0,
        },
      });
    const done = await finished(res.body.id);
    expect(done.state).toBe('completed');
    expect(done.convergenceEvents.find((e: { action: string }) => e.action === 'pause-guest')).toMatchObject({ outcome: 'applied' });
  });

  it('aborts on request mid-copy', async () => {
    const vm = await guest('fa', { ramBytes: 256 * MiB, dirtyRateBytesPerSec: 200 * MiB });
    libvirt.bandwidthBytesPerSec = 128 * MiB;
    const res = await http()
      .post('/migrations')
      .set(auth(OPERATOR))
      .send({ instanceId: vm.id, destinationHostId: hostIds.fb, policy: { completionTimeoutSecPerGiB: 0, progressTimeoutSec: 0 } });
    for (let i = 0; i < 100 && (await http().get(`/migrations/${res.body.id}`).set(auth(OPERATOR))).body.state !== 'pre-copy'; i++)
      await new Promise((r) => setTimeout(r, 20));
    const aborted = await http().post(`/migrations/${res.body.id}/abort`).set(auth(OPERATOR));
    expect(aborted.status).toBe(202);
    const done = await finished(res.body.id);
    expect(done.state).toBe('aborted');
    expect(libvirt.whereIs(vm.domain)).toEqual([{ uri: 'qemu+tcp://192.0.2.11/system', state: 'running' }]);
    expect(await openReservations()).toBe(0);
    expect((await http().post(`/migrations/${res.body.id}/abort`).set(auth(OPERATOR))).status).toBe(409);
  });

  it('fails with libvirt reason when the destination dies mid-copy', async () => {
    const vm = await guest('fa', { ramBytes: 256 * MiB, dirtyRateBytesPerSec: 200 * MiB });
    libvirt.bandwidthBytesPerSec = 128 * MiB;
    const res = await http()
      .post('/migrations')
      .set(auth(OPERATOR))
      .send({ instanceId: vm.id, destinationHostId: hostIds.fb, policy: { completionTimeoutSecPerGiB: 0, progressTimeoutSec: 0 } });
    await new Promise((r) => setTimeout(r, 200));
    libvirt.failWith = new LibvirtError('operation failed: migration out job: Unable to write to socket: Broken pipe', 9, 10);
    const done = await finished(res.body.id);
    expect(done.state).toBe('failed');
    expect(done.failureReason).toMatch(/Broken pipe.*keeps running on fa/);
    expect(await openReservations()).toBe(0);
  });

  describe('refused pre-checks start nothing', () => {
    it.each([
      ['a full destination', 409, 'capacity', () => ({ destinationHostId: hostIds.tiny })],
      ['an unknown destination', 422, 'destination', () => ({ destinationHostId: '3f1f7e38-27b3-4d5a-9a64-2f4f1d9b8c11' })],
      ['the same host', 422, 'same-host', () => ({ destinationHostId: hostIds.fa })],
    ])('%s answers %i', async (_what, status, check, body) => {
      const vm = await guest('fa');
      const before = libvirt.migrateRequests.length;
      const res = await http()
        .post('/migrations')
        .set(auth(OPERATOR))
        .send({ instanceId: vm.id, ...body() });
      expect(res.status).toBe(status);
      expect(res.body.details.check).toBe(check);
      expect(libvirt.migrateRequests.length).toBe(before);
    });

    it('no shared storage answers 422', async () => {
      const vm = await guest('fa');
      agents.storageGroup.set('fb', 'private-b');
      const res = await http().post('/migrations').set(auth(OPERATOR)).send({ instanceId: vm.id, destinationHostId: hostIds.fb });
      expect(res.status).toBe(422);
      expect(res.body.message).toMatch(/no shared storage/);
    });

    it('a marker that cannot be written answers 422', async () => {
      const vm = await guest('fa');
      agents.markerWriteFails = true;
      const res = await http().post('/migrations').set(auth(OPERATOR)).send({ instanceId: vm.id, destinationHostId: hostIds.fb });
      agents.markerWriteFails = false;
      expect(res.status).toBe(422);
      expect(res.body.details.check).toBe('shared-storage');
    });

    it('an agent that is down answers 409', async () => {
      const vm = await guest('fa');
      agents.down.add('fb');
      const res = await http().post('/migrations').set(auth(OPERATOR)).send({ instanceId: vm.id, destinationHostId: hostIds.fb });
      expect(res.status).toBe(409);
      expect(res.body.details).toMatchObject({ check: 'agent', host: 'fb' });
    });

    it('an unreachable libvirt answers 409', async () => {
      const vm = await guest('fa');
      libvirt.down.add('qemu+tcp://192.0.2.12/system');
      const res = await http().post('/migrations').set(auth(OPERATOR)).send({ instanceId: vm.id, destinationHostId: hostIds.fb });
      expect(res.status).toBe(409);
      expect(res.body.details.check).toBe('libvirt');
    });

    it('a bad policy answers 400', async () => {
      const vm = await guest('fa');
      const res = await http()
        .post('/migrations')
        .set(auth(OPERATOR))
        .send({ instanceId: vm.id, destinationHostId: hostIds.fb, policy: { maxDowntimeMs: -1, nonsense: true } });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/maxDowntimeMs.*nonsense|nonsense.*maxDowntimeMs/);
    });
  });

  it('runs at most two outbound migrations per host and queues the rest in order', async () => {
    libvirt.bandwidthBytesPerSec = 256 * MiB;
    libvirt.peakConcurrentMigrations = 0;
    const vms = await Promise.all([0, 1, 2, 3].map(() => guest('fc', { ramBytes: 96 * MiB, dirtyRateBytesPerSec: 4 * MiB })));
    const ids: string[] = [];
    for (const vm of vms) {
      const res = await http().post('/migrations').set(auth(OPERATOR)).send({ instanceId: vm.id, destinationHostId: hostIds.fa });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      ids.push(res.body.id);
    }
    const done = await Promise.all(ids.map(finished));
    expect(done.every((m) => m.state === 'completed')).toBe(true);
    expect(libvirt.peakConcurrentMigrations).toBe(2);
    const starts = done.map((m) => Date.parse(m.phases.find((p: { phase: string }) => p.phase === 'pre-migration').enteredAt));
    expect(starts[2]).toBeGreaterThanOrEqual(Math.min(starts[0], starts[1]));
  });

  it('refuses with 409 "moved" when the instance is not on the sourceHostId the caller expects', async () => {
    const vm = await guest('fa');
    const post = (body: Record<string, unknown>) => http().post('/migrations').set(auth(OPERATOR)).send(body);
    const stale = await post({ instanceId: vm.id, destinationHostId: hostIds.fc, sourceHostId: hostIds.fb });
    expect(stale.status).toBe(409);
    expect(stale.body.details).toEqual({ reason: 'moved', hostId: hostIds.fa });
    expect(stale.body.message).toMatch(/no longer on the expected source host/);
    expect((await post({ instanceId: vm.id, sourceHostId: 'not-a-uuid' })).status).toBe(400);
    const ok = await post({ instanceId: vm.id, destinationHostId: hostIds.fb, sourceHostId: hostIds.fa });
    expect(ok.status).toBe(202);
    expect((await finished(ok.body.id)).state).toBe('completed');
  });
});
