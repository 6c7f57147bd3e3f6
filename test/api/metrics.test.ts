import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrationMetricsListener } from '../../src/migration/metrics/migration-metrics.listener';
import { MigrationQueueService } from '../../src/migration/migration-queue.service';
import { FakeAgents } from '../support/migration/fake-agents';
import { FakeLibvirt } from '../support/migration/fake-libvirt';
import { ANALYST, auth, OPERATOR, sampleHost, startFakeFleetApp } from '../support/api/test-app';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../support/api/test-database';

const MiB = 1024 * 1024;

interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The text exposition as series (comments dropped). */
function parseExposition(text: string): Series[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m) throw new Error(`unparsable exposition line: ${line}`);
      const labels: Record<string, string> = {};
      for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
      return { name: m[1], labels, value: Number(m[3]) };
    });
}

function pick(series: Series[], name: string, labels: Record<string, string> = {}): Series[] {
  return series.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

describe.each<DatabaseKind>(['sqlite', 'postgres'])('migration metrics on the fake world (%s)', (kind) => {
  let db: TestDatabase;
  let app: NestExpressApplication;
  const libvirt = new FakeLibvirt();
  const agents = new FakeAgents();
  const hostIds: Record<string, string> = {};
  let flavorId = '';
  let guestNo = 0;
  const http = () => request(app.getHttpServer());
  const scrape = async () => {
    const res = await http().get('/metrics');
    expect(res.status).toBe(200);
    return parseExposition(res.text);
  };

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    app = await startFakeFleetApp(db.url, { libvirt, agentFactory: agents.factory });
    for (const [name, ip] of [
      ['ma', '192.0.2.21'],
      ['mb', '192.0.2.22'],
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
            memoryMiB: 65536,
            vcpus: 64,
            agentEndpoint: `http://${ip}:7070`,
            agentToken: `agent-token-${name}`,
          }),
        );
      hostIds[name] = res.body.id;
    }
    flavorId = (await http().post('/flavors').set(auth(OPERATOR)).send({ name: 'metrics.small', vcpus: 1, ramMiB: 512, diskGiB: 0 })).body
      .id;
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  async function guest(ramBytes: number, dirtyRateBytesPerSec: number): Promise<string> {
    const domain = `metrics-${kind}-${++guestNo}`;
    libvirt.addGuest('qemu+tcp://192.0.2.21/system', domain, { ramBytes, dirtyRateBytesPerSec });
    const res = await http()
      .post('/instances')
      .set(auth(OPERATOR))
      .send({ name: domain, domainName: domain, domainUuid: crypto.randomUUID(), flavorId, hostId: hostIds.ma });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  it('exports the limits and the agents of the cluster, read from the database', async () => {
    const series = await scrape();
    expect(pick(series, 'livemig_migrations_running_limit', { scope: 'cluster' })[0].value).toBe(5);
    expect(pick(series, 'livemig_migrations_running_limit', { scope: 'outbound_per_host' })[0].value).toBe(2);
    expect(pick(series, 'livemig_migration_queue_depth')[0].value).toBe(0);
    expect(pick(series, 'livemig_migrations_running', { direction: 'cluster' })[0].value).toBe(0);
    // No heartbeat has answered yet: both agents count as down.
    expect(pick(series, 'livemig_agent_up').map((s) => [s.labels.host, s.value])).toEqual(
      expect.arrayContaining([
        ['ma', 0],
        ['mb', 0],
      ]),
    );
  });

  it('shows a running migration while it copies and removes its series when it ends', async () => {
    const before = await scrape();
    const startedBefore = pick(before, 'livemig_migrations_started_total', { flavor: 'metrics.small' }).reduce((n, s) => n + s.value, 0);
    const hvCountBefore =
      pick(before, 'livemig_migration_downtime_seconds_count', { measurement: 'hypervisor', flavor: 'metrics.small' })[0]?.value ?? 0;

    // 256 MiB at 64 MiB/s while the guest dirties 8 MiB/s: a few seconds of pre-copy to look at.
    libvirt.bandwidthBytesPerSec = 64 * MiB;
    const instanceId = await guest(256 * MiB, 8 * MiB);
    const created = await http().post('/migrations').set(auth(OPERATOR)).send({ instanceId, destinationHostId: hostIds.mb });
    expect(created.status).toBe(202);
    const id: string = created.body.id;

    let during: Series[] = [];
    for (let i = 0; i < 200; i++) {
      during = await scrape();
      if (pick(during, 'livemig_migration_data_remaining_bytes', { migration_id: id }).length > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const remaining = pick(during, 'livemig_migration_data_remaining_bytes', { migration_id: id });
    expect(remaining).toHaveLength(1);
    expect(remaining[0].value).toBeGreaterThan(0);
    expect(remaining[0].value).toBeLessThanOrEqual(256 * MiB);
    expect(pick(during, 'livemig_migration_data_total_bytes', { migration_id: id })[0].value).toBe(256 * MiB);
    expect(pick(during, 'livemig_migration_iteration', { migration_id: id })[0].value).toBeGreaterThanOrEqual(1);
    expect(pick(during, 'livemig_migration_phase', { migration_id: id }).map((s) => s.labels.phase)).toEqual(['pre-copy']);
    expect(pick(during, 'livemig_migrations_running', { direction: 'outbound', host: 'ma' })[0].value).toBe(1);
    expect(pick(during, 'livemig_migrations_running', { direction: 'inbound', host: 'mb' })[0].value).toBe(1);
    expect(pick(during, 'livemig_migrations_started_total', { flavor: 'metrics.small' }).reduce((n, s) => n + s.value, 0)).toBe(
      startedBefore + 1,
    );

    // Remaining bytes move as the copy goes on.
    let later: Series[] = during;
    for (let i = 0; i < 100; i++) {
      later = await scrape();
      const now = pick(later, 'livemig_migration_data_remaining_bytes', { migration_id: id });
      if (now.length === 0 || now[0].value !== remaining[0].value) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const laterRemaining = pick(later, 'livemig_migration_data_remaining_bytes', { migration_id: id });
    if (laterRemaining.length > 0) expect(laterRemaining[0].value).not.toBe(remaining[0].value);

    await app.get(MigrationQueueService).whenDone(id);
    await app.get(MigrationMetricsListener).settled();
    const after = await scrape();
    const done = (await http().get(`/migrations/${id}`).set(auth(OPERATOR))).body;
    expect(done.state).toBe('completed');
    for (const name of [
      'livemig_migration_data_remaining_bytes',
      'livemig_migration_data_total_bytes',
      'livemig_migration_dirty_rate_pages_per_second',
      'livemig_migration_bandwidth_bytes_per_second',
      'livemig_migration_iteration',
      'livemig_migration_phase',
    ])
      expect(pick(after, name, { migration_id: id }), name).toEqual([]);
    expect(
      pick(after, 'livemig_migrations_finished_total', { outcome: 'completed', flavor: 'metrics.small', policy: done.policyName })[0].value,
    ).toBeGreaterThanOrEqual(1);
    const hvCount = pick(after, 'livemig_migration_downtime_seconds_count', { measurement: 'hypervisor', flavor: 'metrics.small' })[0]
      .value;
    expect(hvCount).toBe(hvCountBefore + 1);
    const hvSum = pick(after, 'livemig_migration_downtime_seconds_sum', { measurement: 'hypervisor', flavor: 'metrics.small' })[0].value;
    expect(hvSum).toBeGreaterThan(0);
    expect(
      pick(after, 'livemig_migration_duration_seconds_count', { outcome: 'completed', flavor: 'metrics.small' })[0].value,
    ).toBeGreaterThanOrEqual(1);
    expect(pick(after, 'livemig_migrations_running', { direction: 'cluster' })[0].value).toBe(0);
    expect(pick(after, 'livemig_migrations_running', { direction: 'outbound', host: 'ma' })).toEqual([]);
  });

  it('counts a failed migration by its outcome and observes no downtime for it', async () => {
    const before = await scrape();
    const hvCountBefore =
      pick(before, 'livemig_migration_downtime_seconds_count', { measurement: 'hypervisor', flavor: 'metrics.small' })[0]?.value ?? 0;
    libvirt.down.add('qemu+tcp://192.0.2.22/system');
    try {
      const instanceId = await guest(64 * MiB, 0);
      const created = await http().post('/migrations').set(auth(OPERATOR)).send({ instanceId, destinationHostId: hostIds.mb });
      if (created.status !== 202) return expect(created.status).toBeGreaterThanOrEqual(400);
      await app.get(MigrationQueueService).whenDone(created.body.id);
      await app.get(MigrationMetricsListener).settled();
      const done = (await http().get(`/migrations/${created.body.id}`).set(auth(OPERATOR))).body;
      expect(done.state).not.toBe('completed');
      const after = await scrape();
      expect(
        pick(after, 'livemig_migrations_finished_total', { outcome: done.state, flavor: 'metrics.small' })[0].value,
      ).toBeGreaterThanOrEqual(1);
      expect(
        pick(after, 'livemig_migration_downtime_seconds_count', { measurement: 'hypervisor', flavor: 'metrics.small' })[0]?.value ?? 0,
      ).toBe(hvCountBefore);
      expect(pick(after, 'livemig_migration_phase', { migration_id: created.body.id })).toEqual([]);
    } finally {
      libvirt.down.clear();
    }
  });

  it('times POST /analyses by outcome, with the upload size', async () => {
    const count = (series: Series[]) => pick(series, 'livemig_analysis_duration_seconds_count', { outcome: 'rejected' })[0]?.value ?? 0;
    const before = count(await scrape());
    const res = await http().post('/analyses').set(auth(ANALYST)).attach('files', Buffer.from('not a capture'), 'broken.pcap');
    expect(res.status).toBe(422);
    const after = await scrape();
    expect(count(after)).toBe(before + 1);
    expect(pick(after, 'livemig_analysis_upload_bytes_sum', { outcome: 'rejected' })[0].value).toBeGreaterThan(0);
  });
});
