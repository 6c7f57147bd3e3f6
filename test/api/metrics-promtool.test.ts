import type { NestExpressApplication } from '@nestjs/platform-express';
import { spawnSync } from 'node:child_process';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrationMetricsListener } from '../../src/migration/metrics/migration-metrics.listener';
import { MigrationQueueService } from '../../src/migration/migration-queue.service';
import { FakeAgents } from '../support/migration/fake-agents';
import { FakeLibvirt } from '../support/migration/fake-libvirt';
import { auth, OPERATOR, sampleHost, startFakeFleetApp } from '../support/api/test-app';
import { createTestDatabase, type TestDatabase } from '../support/api/test-database';

const promtoolFound = spawnSync('promtool', ['--version']).status === 0;
// In CI promtool is part of the set-up (Debian's prometheus): missing there is a failure, not a skip.
const mustRun = Boolean(process.env.CI);
if (!promtoolFound && !mustRun) console.warn('metrics-promtool: promtool not found (apt-get install prometheus); skipping the check');

describe.skipIf(!promtoolFound && !mustRun)('promtool check metrics on the exposition', () => {
  let db: TestDatabase;
  let app: NestExpressApplication;
  const libvirt = new FakeLibvirt();
  const agents = new FakeAgents();
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    app = await startFakeFleetApp(db.url, { libvirt, agentFactory: agents.factory });
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('passes with every family holding series (a migration ran, hosts with agents exist)', async () => {
    const ids: string[] = [];
    for (const [name, ip] of [
      ['pa', '192.0.2.31'],
      ['pb', '192.0.2.32'],
    ] as const) {
      libvirt.addHost(`qemu+tcp://${ip}/system`);
      const res = await http()
        .post('/hosts')
        .set(auth(OPERATOR))
        .send(
          sampleHost(name, {
            libvirtUri: `qemu+tcp://${ip}/system`,
            migrationAddress: ip,
            memoryMiB: 65536,
            agentEndpoint: `http://${ip}:7070`,
            agentToken: `agent-token-${name}`,
          }),
        );
      ids.push(res.body.id);
    }
    const flavorId = (await http().post('/flavors').set(auth(OPERATOR)).send({ name: 'promtool.small', vcpus: 1, ramMiB: 512, diskGiB: 0 }))
      .body.id;
    libvirt.addGuest('qemu+tcp://192.0.2.31/system', 'promtool-1', { ramBytes: 64 * 1024 * 1024 });
    const instance = await http()
      .post('/instances')
      .set(auth(OPERATOR))
      .send({ name: 'promtool-1', domainName: 'promtool-1', domainUuid: crypto.randomUUID(), flavorId, hostId: ids[0] });
    const created = await http().post('/migrations').set(auth(OPERATOR)).send({ instanceId: instance.body.id, destinationHostId: ids[1] });
    expect(created.status).toBe(202);
    await app.get(MigrationQueueService).whenDone(created.body.id);
    await app.get(MigrationMetricsListener).settled();

    const exposition = (await http().get('/metrics')).text;
    expect(exposition).toContain('livemig_migration_downtime_seconds_bucket{');
    expect(exposition).toContain('livemig_migrations_finished_total{');
    const checked = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
    expect(checked.error).toBeUndefined();
    expect(`${checked.stdout}${checked.stderr}`.trim()).toBe('');
    expect(checked.status).toBe(0);
  });
});
