import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RebalanceJobs } from '../../src/migration/rebalance/rebalance-jobs.service';
import { RebalanceRunner } from '../../src/migration/rebalance/rebalance-runner.service';
import { FakeAgents } from '../support/migration/fake-agents';
import { FakeLibvirt } from '../support/migration/fake-libvirt';
import { startFakeFleetApp, auth, ANALYST, OPERATOR, sampleHost } from '../support/api/test-app';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../support/api/test-database';

const MiB = 1024 * 1024;
const HOSTS = [
  ['h1', 41],
  ['h2', 42],
  ['h3', 43],
] as const;
type HostName = (typeof HOSTS)[number][0];

const policyBody = (extra: Record<string, unknown> = {}) => ({
  name: 'ram-spread',
  metric: 'ram',
  goal: { kind: 'stddev', value: 0.05 },
  cron: '0 0 3 * * *',
  maxMigrationsPerRun: 2,
  cooldownSec: 3600,
  mode: 'dry-run',
  ...extra,
});

interface RunBody {
  id: string;
  state: string;
  mode: string;
  trigger: string;
  moves: {
    instanceId: string;
    sourceHostId: string;
    destinationHostId: string;
    reason: { kind: string; stddevBefore: number; stddevAfter: number };
  }[];
  stddevBefore: number;
  stddevAfter: number;
  stopReason: string;
  inputs: {
    utilisationSource: string;
    metric: string;
    hosts: { name: string; utilisation: number }[];
    instances: unknown[];
    inCooldownInstanceIds: string[];
  };
  results: { instanceId: string; migrationId: string | null; outcome: string; reason: string | null }[];
}

describe.each<DatabaseKind>(['sqlite', 'postgres'])('rebalancing policies on %s', (kind) => {
  let db: TestDatabase;
  let app: NestExpressApplication;
  const libvirt = new FakeLibvirt();
  const agents = new FakeAgents();
  const hostIds = {} as Record<HostName, string>;
  const uriOf = {} as Record<HostName, string>;
  let flavorId = '';
  let guestNo = 0;
  const http = () => request(app.getHttpServer());
  const start = () => startFakeFleetApp(db.url, { libvirt, agentFactory: agents.factory });

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    app = await start();
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
            memoryMiB: 16384,
            vcpus: 16,
            agentEndpoint: `http://${ip}:7070`,
            agentToken: `agent-token-${name}`,
          }),
        );
      hostIds[name] = res.body.id;
    }
    flavorId = (await http().post('/flavors').set(auth(OPERATOR)).send({ name: 'rebalance.2g', vcpus: 1, ramMiB: 2048, diskGiB: 0 })).body
      .id;
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  async function guest(host: HostName): Promise<string> {
    const domain = `rebalance-${kind}-${++guestNo}`;
    // libvirt reports each guest's QEMU resident at half its 2 GiB flavor: that, not the flavor, is the load.
    libvirt.addGuest(uriOf[host], domain, { ramBytes: 32 * MiB, rssBytes: 1024 * MiB });
    const res = await http()
      .post('/instances')
      .set(auth(OPERATOR))
      .send({ name: domain, domainName: domain, domainUuid: crypto.randomUUID(), flavorId, hostId: hostIds[host] });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  const hostOf = async (instanceId: string) => (await http().get(`/instances/${instanceId}`).set(auth(OPERATOR))).body.hostId as string;
  const jobs = () => app.get(RebalanceJobs).registeredPolicyIds();

  it('creates, validates, updates and deletes policies, registering their cron jobs', async () => {
    const created = await http()
      .post('/rebalance-policies')
      .set(auth(OPERATOR))
      .send(policyBody({ name: 'crud' }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'crud',
      metric: 'ram',
      goal: { kind: 'stddev', value: 0.05 },
      enabled: true,
      mode: 'dry-run',
    });
    const id = created.body.id as string;
    expect(jobs()).toContain(id);

    const badCron = await http()
      .post('/rebalance-policies')
      .set(auth(OPERATOR))
      .send(policyBody({ name: 'bad', cron: 'every tuesday' }));
    expect(badCron.status).toBe(400);
    expect(badCron.body.details).toEqual([{ field: 'cron', errors: [expect.stringMatching(/cron must be a cron expression/)] }]);
    const badGoal = await http()
      .post('/rebalance-policies')
      .set(auth(OPERATOR))
      .send(policyBody({ name: 'bad', goal: { kind: 'median', value: 2 }, metric: 'disk', mode: 'yes' }));
    expect(badGoal.status).toBe(400);
    expect(badGoal.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['goal.kind', 'goal.value', 'metric', 'mode']);
    expect(
      (
        await http()
          .post('/rebalance-policies')
          .set(auth(OPERATOR))
          .send(policyBody({ name: 'crud' }))
      ).status,
    ).toBe(409);
    expect(
      (
        await http()
          .post('/rebalance-policies')
          .set(auth(ANALYST))
          .send(policyBody({ name: 'other' }))
      ).status,
    ).toBe(403);
    expect((await http().patch(`/rebalance-policies/${id}`).set(auth(OPERATOR)).send({ cron: '61 * * * *' })).status).toBe(400);

    const updated = await http()
      .patch(`/rebalance-policies/${id}`)
      .set(auth(OPERATOR))
      .send({ cron: '*/10 * * * *', goal: { kind: 'threshold', value: 0.8 } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ cron: '*/10 * * * *', goal: { kind: 'threshold', value: 0.8 } });
    expect(jobs()).toContain(id);
    expect((await http().patch(`/rebalance-policies/${id}`).set(auth(OPERATOR)).send({ enabled: false })).body.enabled).toBe(false);
    expect(jobs()).not.toContain(id);
    await http().patch(`/rebalance-policies/${id}`).set(auth(OPERATOR)).send({ enabled: true });
    expect(jobs()).toContain(id);
    expect((await http().get('/rebalance-policies').set(auth(ANALYST))).body.map((p: { name: string }) => p.name)).toEqual(['crud']);

    expect((await http().delete(`/rebalance-policies/${id}`).set(auth(OPERATOR))).status).toBe(204);
    expect(jobs()).not.toContain(id);
    expect((await http().get(`/rebalance-policies/${id}`).set(auth(OPERATOR))).status).toBe(404);
    expect((await http().get('/rebalance-policies/leader').set(auth(ANALYST))).body).toMatchObject({
      leader: true,
      mechanism: kind === 'postgres' ? 'pg-advisory-lock' : 'single-instance',
    });
  });

  it('a dry-run policy records its moves with reasons and migrates nothing', async () => {
    const vms = [await guest('h1'), await guest('h1'), await guest('h1'), await guest('h1')];
    const policy = (
      await http()
        .post('/rebalance-policies')
        .set(auth(OPERATOR))
        .send(policyBody({ name: 'dry' }))
    ).body;
    const res = await http().post(`/rebalance-policies/${policy.id}/run`).set(auth(OPERATOR));
    expect(res.status).toBe(202);
    const run = res.body as RunBody;
    expect(run).toMatchObject({ state: 'completed', mode: 'dry-run', trigger: 'manual', stopReason: 'goal-met' });
    expect(run.inputs.utilisationSource).toBe('libvirt');
    // 4 guests of 2 GiB with 1 GiB resident each (balloon.rss) on a 16 GiB host: h1 at 0.25, the others empty.
    expect(Object.fromEntries(run.inputs.hosts.map((h) => [h.name, h.utilisation]))).toEqual({ h1: 0.25, h2: 0, h3: 0 });
    expect(run.inputs.instances.map((i) => (i as { ramUtilisation: number }).ramUtilisation)).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(run.moves).toHaveLength(2);
    for (const move of run.moves) {
      expect(move.sourceHostId).toBe(hostIds.h1);
      expect(move.reason.kind).toBe('reduce-stddev');
      expect(move.reason.stddevAfter).toBeLessThan(move.reason.stddevBefore);
    }
    expect(new Set(run.moves.map((m) => m.destinationHostId))).toEqual(new Set([hostIds.h2, hostIds.h3]));
    expect(run.stddevBefore).toBeCloseTo(Math.sqrt(((0.25 - 1 / 12) ** 2 + 2 * (1 / 12) ** 2) / 3), 9);
    expect(run.stddevAfter).toBeLessThan(run.stddevBefore);
    expect(run.results.map((r) => r.outcome)).toEqual(['not-executed', 'not-executed']);
    expect((await http().get('/migrations').set(auth(OPERATOR))).body.total).toBe(0);
    for (const vm of vms) expect(await hostOf(vm)).toBe(hostIds.h1);
    const runs = (await http().get(`/rebalance-policies/${policy.id}/runs`).set(auth(ANALYST))).body;
    expect(runs.map((r: { id: string }) => r.id)).toEqual([run.id]);
    await http().patch(`/rebalance-policies/${policy.id}`).set(auth(OPERATOR)).send({ enabled: false });
  });

  it('an execute run migrates; a second run inside the cooldown does not move the same instances back', async () => {
    const policy = (
      await http()
        .post('/rebalance-policies')
        .set(auth(OPERATOR))
        .send(policyBody({ name: 'exec', mode: 'execute' }))
    ).body;
    const first = (await http().post(`/rebalance-policies/${policy.id}/run`).set(auth(OPERATOR))).body as RunBody;
    expect(first).toMatchObject({ state: 'running', mode: 'execute' });
    expect(first.moves).toHaveLength(2);
    expect((await http().post(`/rebalance-policies/${policy.id}/run`).set(auth(OPERATOR))).status).toBe(409);
    await app.get(RebalanceRunner).whenDone(first.id);
    const done = (await http().get(`/rebalance-runs/${first.id}`).set(auth(ANALYST))).body as RunBody;
    expect(done.state).toBe('completed');
    expect(done.results.map((r) => r.outcome)).toEqual(['completed', 'completed']);
    for (const [i, result] of done.results.entries()) {
      expect(result.migrationId).toEqual(expect.any(String));
      expect(await hostOf(result.instanceId)).toBe(done.moves[i].destinationHostId);
    }
    const moved = done.moves.map((m) => m.instanceId);
    const onH2 = done.moves.find((m) => m.destinationHostId === hostIds.h2)!.instanceId;

    // Pile load onto h2 so the instance that just arrived there is the obvious one to move, but it is cooling down.
    for (let i = 0; i < 3; i++) await guest('h2');
    const second = (await http().post(`/rebalance-policies/${policy.id}/run`).set(auth(OPERATOR))).body as RunBody;
    await app.get(RebalanceRunner).whenDone(second.id);
    expect(second.inputs.inCooldownInstanceIds).toContain(onH2);
    expect(second.moves.length).toBeGreaterThan(0);
    for (const move of second.moves) expect(moved).not.toContain(move.instanceId);
    for (const id of moved) expect(await hostOf(id)).toBe(done.moves.find((m) => m.instanceId === id)!.destinationHostId);
    const secondDone = (await http().get(`/rebalance-runs/${second.id}`).set(auth(ANALYST))).body as RunBody;
    expect(secondDone.state).toBe('completed');
    expect(secondDone.results.every((r) => r.outcome === 'completed')).toBe(true);
  });

  it('an execute run left running by a stopped controller is closed as failed by the next one', async () => {
    libvirt.bandwidthBytesPerSec = 16 * MiB;
    try {
      for (let i = 0; i < 4; i++) await guest('h3');
      const policy = (
        await http()
          .post('/rebalance-policies')
          .set(auth(OPERATOR))
          .send(policyBody({ name: 'orphan', mode: 'execute', cooldownSec: 0, goal: { kind: 'stddev', value: 0.01 } }))
      ).body;
      const run = (await http().post(`/rebalance-policies/${policy.id}/run`).set(auth(OPERATOR))).body as RunBody;
      expect(run.state).toBe('running');
      expect(run.moves.length).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 100));
      await app.close();
      app = await start();
      const closed = (await http().get(`/rebalance-runs/${run.id}`).set(auth(ANALYST))).body as RunBody;
      expect(closed.state).toBe('failed');
      expect(closed.results).toHaveLength(run.moves.length);
      expect(closed.results.some((r) => r.outcome === 'not-executed' && /controller stopped during the run/.test(r.reason ?? ''))).toBe(
        true,
      );
    } finally {
      libvirt.bandwidthBytesPerSec = 200 * 1024 * 1024;
    }
  });
});
