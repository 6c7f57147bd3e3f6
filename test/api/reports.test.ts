import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { completedMigrationRow } from '../support/api/migration-row';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeNetworkReport, type MigrationNetworkReport } from '../../src/capture/migration-report';
import { LiveMigrationEntity } from '../../src/migration/records/live-migration.entity';
import { MigrationPhaseEntity } from '../../src/migration/records/migration-phase.entity';
import { ANALYST, auth, OPERATOR, sampleHost, startTestApp } from '../support/api/test-app';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../support/api/test-database';
import { analyzeBuffers } from '../support/pcap/analyze-buffer';
import { encodeCapture } from '../support/pcap/encode-capture';
import { buildScenario, defaultScenario } from '../support/pcap/scenario';

/** A stored report made by the real analyzer from the synthetic scenario (known outage at probes 120..126). */
async function scenarioReport(): Promise<MigrationNetworkReport> {
  const analysis = await analyzeBuffers([encodeCapture(buildScenario(defaultScenario()).events, { format: 'pcap-us', link: 'ethernet' })]);
  return composeNetworkReport(analysis, analysis, { sourceAddress: '10.0.0.1', destinationAddress: '10.0.0.2' });
}

const SCENARIO_START_MS = defaultScenario().startSec * 1000;

const ids = {
  ready: '00000000-0000-4000-8000-000000000001',
  small2: '00000000-0000-4000-8000-000000000002',
  large: '00000000-0000-4000-8000-000000000003',
  pending: '00000000-0000-4000-8000-000000000004',
  unreachable: '00000000-0000-4000-8000-000000000005',
  unknown: '00000000-0000-4000-8000-0000000000ff',
};

describe.each<DatabaseKind>(['sqlite', 'postgres'])('reports API on %s', (kind) => {
  let db: TestDatabase;
  let app: NestExpressApplication;
  let report: MigrationNetworkReport;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    app = await startTestApp({ databaseUrl: db.url });
    const hostIds: string[] = [];
    for (const [name, address] of [
      ['compute-a', '10.0.0.1'],
      ['compute-b', '10.0.0.2'],
    ]) {
      const res = await http()
        .post('/hosts')
        .set(auth(OPERATOR))
        .send(sampleHost(name, { migrationAddress: address }));
      expect(res.status).toBe(201);
      hostIds.push(res.body.id);
    }
    report = await scenarioReport();
    const row = (id: string, over: Partial<LiveMigrationEntity>) => completedMigrationRow(Number(id.slice(-12)), hostIds, over);
    await app
      .get(DataSource)
      .getRepository(LiveMigrationEntity)
      .save([
        row(ids.ready, {
          instanceName: 'web<1>&"',
          ...report.figures,
          hvDowntimeMs: 48,
          hvTotalTimeMs: 2100,
          reportState: 'ready',
          report,
        }),
        row(ids.small2, {
          netTotalMigrationTimeMs: 3000,
          netDowntimeMs: 200,
          hvDowntimeMs: 52,
          netLossPct: 5,
          netJitterMs: 0.5,
          netRttAvgMs: 0.6,
        }),
        row(ids.large, {
          flavorName: 'm1.large',
          flavorRamMiB: 8192,
          netTotalMigrationTimeMs: 9000,
          netDowntimeMs: 300,
          hvDowntimeMs: 90,
          netLossPct: 1,
          netJitterMs: 0.25,
        }),
        row(ids.pending, { state: 'switchover', reportState: 'pending', finishedAt: null, netDowntimeMs: 9999 }),
        row(ids.unreachable, {
          state: 'unreachable',
          failureReason: 'the guest never answered again: east-west: no reply for the last 7400 ms of the capture (740 probes)',
          netDowntimeMs: 7000,
          hvDowntimeMs: 60,
        }),
      ]);
    // The scenario's outage (probes 120..126) begins at 1.2 s: the source paused at 1.195 s for the 48 ms of hvDowntimeMs.
    await app
      .get(DataSource)
      .getRepository(MigrationPhaseEntity)
      .save([
        { migrationId: ids.ready, phase: 'pre-copy', enteredAt: new Date(SCENARIO_START_MS), detail: null },
        {
          migrationId: ids.ready,
          phase: 'switchover',
          enteredAt: new Date(SCENARIO_START_MS + 1195),
          detail: 'source paused (migrated) for stop-and-copy',
        },
      ]);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('gives one migration side by side, with the probe window and series in the detail', async () => {
    const res = await http().get(`/migrations/${ids.ready}/report`).set(auth(ANALYST));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      migrationId: ids.ready,
      instanceName: 'web<1>&"',
      reportState: 'ready',
      downtime: { networkMs: report.figures.netDowntimeMs, hypervisorMs: 48 },
    });
    expect(res.body.totalTime).toEqual({ networkMs: report.figures.netTotalMigrationTimeMs, hypervisorMs: 2100, predictedMs: null });
    expect(res.body.detail.probeSeries).toHaveLength(250);
    expect(res.body.detail.probe.gapEndTs - res.body.detail.probe.gapStartTs).toBeCloseTo(
      (report.figures.netMaxReplyGapMs ?? NaN) / 1000,
      6,
    );
    // The switchover as a timeline: lost probes against the 48 ms pause at 1.195 s, both methods explained.
    const ew = res.body.switchover.streams[0];
    expect(res.body.switchover.pause).toMatchObject({ durationMs: 48, source: 'pause-event' });
    expect(ew).toMatchObject({ stream: 'east-west', lost: { before: 2, inside: 5, after: 3, total: 10 }, mtrMethodMs: 100 });
    expect(ew.window.gapMs).toBeCloseTo(report.figures.netMaxReplyGapMs ?? NaN, 3);
    expect(ew.explanation).toContain('3 lost probes fell outside the switchover gap (2 before it, 1 after it)');
    expect(res.body.downtime.eastWestMinusHvMs).toBeCloseTo((report.figures.netDowntimeMs ?? NaN) - 48, 6);
    const gone = await http().get(`/migrations/${ids.unreachable}/report`).set(auth(ANALYST));
    expect(gone.body).toMatchObject({
      state: 'unreachable',
      failureReason: expect.stringMatching(/^the guest never answered again/),
      switchover: null,
    });
    expect((await http().get(`/migrations/${ids.unknown}/report`).set(auth(ANALYST))).status).toBe(404);
    expect((await http().get('/migrations/not-a-uuid/report').set(auth(ANALYST))).status).toBe(400);
    expect((await http().get(`/migrations/${ids.ready}/report`)).status).toBe(401);
  });

  it('charts a ready migration as SVG, every text escaped', async () => {
    const res = await http()
      .get(`/migrations/${ids.ready}/report.svg`)
      .set(auth(ANALYST))
      .buffer(true)
      .parse((r, done) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString()));
        r.on('end', () => done(null, text));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const svg = res.body as string;
    expect(svg).toContain('web&lt;1&gt;&amp;&quot; (m1.small): compute-a → compute-b');
    expect(svg).toContain('class="downtime-window" data-stream="east-west"');
    expect(svg).toContain('class="hv-pause"');
    expect(svg).toContain(`downtime: hypervisor 48.0 ms · east-west ${report.figures.netDowntimeMs?.toFixed(1)} ms`);
    // The scenario loses 10 probes: 7 in the outage, 3 apart.
    expect(/class="probe-lost" data-stream="east-west" d="([^"]*)"/.exec(svg)?.[1].match(/M/g)).toHaveLength(10);
  });

  it('answers 404 for an unknown migration and 409 while the report is not ready', async () => {
    expect((await http().get(`/migrations/${ids.unknown}/report.svg`).set(auth(ANALYST))).status).toBe(404);
    const pending = await http().get(`/migrations/${ids.pending}/report.svg`).set(auth(ANALYST));
    expect(pending.status).toBe(409);
    expect(pending.body).toMatchObject({ statusCode: 409, details: { reportState: 'pending' } });
    expect((await http().get(`/migrations/${ids.small2}/report.svg`).set(auth(ANALYST))).body.details.reportState).toBe('none');
  });

  it('aggregates completed migrations per flavor as JSON', async () => {
    const res = await http().get('/reports/flavors').set(auth(ANALYST));
    expect(res.status).toBe(200);
    const [small, large] = res.body.flavors;
    expect(res.body.flavors).toHaveLength(2);
    expect(small).toMatchObject({ flavor: 'm1.small', ramMiB: 2048, n: 2 });
    const downtimes = [report.figures.netDowntimeMs ?? NaN, 200].sort((a, b) => a - b);
    expect(small.figures.downtimeMs).toEqual({
      n: 2,
      mean: expect.closeTo((downtimes[0] + downtimes[1]) / 2, 6),
      p50: expect.closeTo(downtimes[0], 6),
      p95: expect.closeTo(downtimes[1], 6),
      max: expect.closeTo(downtimes[1], 6),
    });
    expect(small.figures.hvDowntimeMs).toEqual({ n: 2, mean: 50, p50: 48, p95: 52, max: 52 });
    expect(large).toMatchObject({
      flavor: 'm1.large',
      n: 1,
      figures: { downtimeMs: { mean: 300 }, lossPct: { mean: 1 }, rttAvgMs: { n: 0, mean: null } },
    });
  });

  it('gives the same numbers as CSV and as Table 3', async () => {
    const csv = await http().get('/reports/flavors?format=csv').set(auth(ANALYST));
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...lines] = csv.text.trimEnd().split('\n');
    const cols = header.split(',');
    const large = lines.find((l) => l.startsWith('m1.large,'))?.split(',') ?? [];
    expect(large[cols.indexOf('n')]).toBe('1');
    expect(large[cols.indexOf('downtimeMs.mean')]).toBe('300');
    expect(large[cols.indexOf('hvDowntimeMs.max')]).toBe('90');
    const table3 = await http().get('/reports/flavors?format=table3').set(auth(ANALYST));
    expect(table3.headers['content-type']).toMatch(/^text\/plain/);
    expect(table3.text).toMatch(/^Flavor\s+Packet loss \(%\)\s+Avg RTT \(ms\)\s+Downtime \(ms\)$/m);
    expect(table3.text).toMatch(/^m1\.large\s+1\.00\s+—\s+300\.0$/m);
    expect((await http().get('/reports/flavors?format=xml').set(auth(ANALYST))).status).toBe(400);
  });

  it.each([
    ['from=yesterday', 'from'],
    ['to=2026-13-45', 'to'],
    ['host=compute-a', 'host'],
    ['format=xml', 'format'],
    ['limit=5', 'limit'],
  ])('answers 400 naming the field for /reports/flavors?%s', async (params, field) => {
    const res = await http().get(`/reports/flavors?${params}`).set(auth(ANALYST));
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(`invalid fields: ${field}`);
    expect(res.body.details).toEqual([expect.objectContaining({ field })]);
  });

  it('serves the report page as HTML to an analyst only with a token', async () => {
    expect((await http().get('/reports')).status).toBe(401);
    const res = await http().get('/reports').set(auth(ANALYST));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<tr data-flavor="m1.large">');
    expect(res.text).toContain('web&lt;1&gt;&amp;&quot;');
    expect(res.text).not.toContain('web<1>');
    expect(res.text.match(/<svg /g)).toHaveLength(1);
    expect(res.text).toContain('no chart: report none');
    // The unreachable guest is shown with its reason, and left out of the flavor figures (m1.small n stays 2).
    expect(res.text).toContain('<p class="outcome" data-state="unreachable">unreachable: the guest never answered again');
    expect(res.text).toContain('<div class="switchover-timeline">');
    expect(res.text).toMatch(/<tr data-flavor="m1.small"><td class="flavor">m1.small<\/td><td data-figure="n">2<\/td>/);
  });
});
