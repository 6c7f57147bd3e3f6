import type { NestExpressApplication } from '@nestjs/platform-express';
import { completedMigrationRow } from '../support/api/migration-row';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeNetworkReport } from '../../src/capture/migration-report';
import { LiveMigrationEntity } from '../../src/migration/records/live-migration.entity';
import { MigrationPhaseEntity } from '../../src/migration/records/migration-phase.entity';
import { ANALYST, auth, OPERATOR, sampleHost, startTestApp } from '../support/api/test-app';
import { createTestDatabase, type TestDatabase } from '../support/api/test-database';
import { analyzeBuffers } from '../support/pcap/analyze-buffer';
import { encodeCapture } from '../support/pcap/encode-capture';
import { buildScenario, defaultScenario } from '../support/pcap/scenario';

// Debian's chromium, installed by scripts/setup.sh; playwright-core brings no browser of its own.
const CHROMIUM = process.env.LIVEMIG_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT = join(tmpdir(), 'livemig-report-page.png');

describe('report page in a headless browser', () => {
  let db: TestDatabase;
  let app: NestExpressApplication;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: run scripts/setup.sh (it installs Debian's chromium) or set LIVEMIG_CHROMIUM`);
    db = await createTestDatabase('sqlite');
    app = await startTestApp({ databaseUrl: db.url });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    await seed(app);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ extraHTTPHeaders: auth(ANALYST), viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.drop();
  });

  it('shows the per-flavor table with the numbers of GET /reports/flavors', async () => {
    const response = await page.goto(`${baseUrl}/reports`);
    expect(response?.status()).toBe(200);
    await expect(page.title()).resolves.toBe('livemig reports');
    const { flavors } = (await request(app.getHttpServer()).get('/reports/flavors').set(auth(ANALYST))).body as {
      flavors: { flavor: string; n: number; figures: Record<string, Record<string, number | null>> }[];
    };
    expect(flavors.map((f) => f.flavor)).toEqual(['m1.small', 'm1.large']);
    const shown = await page.locator('table.flavors tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-flavor')));
    expect(shown).toEqual(['m1.small', 'm1.large']);
    for (const f of flavors) {
      const row = page.locator(`tr[data-flavor="${f.flavor}"]`);
      await expect(row.locator('td[data-figure="n"]').textContent()).resolves.toBe(String(f.n));
      for (const [figure, digits] of [
        ['totalMigrationTimeMs', 1],
        ['downtimeMs', 1],
        ['hvDowntimeMs', 1],
        ['lossPct', 2],
        ['jitterMs', 3],
      ] as const) {
        for (const stat of ['mean', 'p50', 'p95', 'max']) {
          const v = f.figures[figure][stat];
          await expect(row.locator(`td[data-figure="${figure}"][data-stat="${stat}"]`).textContent()).resolves.toBe(
            v === null ? '—' : v.toFixed(digits),
          );
        }
      }
    }
    await expect(page.locator('tr[data-flavor="m1.large"] td[data-figure="downtimeMs"][data-stat="max"]').textContent()).resolves.toBe(
      '300.0',
    );
  });

  it('draws the chart inline: throughput, RTT dots, lost probes, the shaded downtime window', async () => {
    const chart = page.locator('section.migration svg.migration-chart');
    await expect(chart.count()).resolves.toBe(1);
    for (const cls of ['throughput', 'probe-rtt', 'probe-lost', 'downtime-window'])
      await expect(chart.locator(`.${cls}`).count()).resolves.toBe(1);
    // Laid out by the browser: the window has width, inside the plot, left of the chart's right edge.
    const window = await chart.locator('rect.downtime-window').boundingBox();
    const whole = await chart.boundingBox();
    expect(window?.width).toBeGreaterThan(2);
    expect((window?.x ?? 0) + (window?.width ?? 0)).toBeLessThan((whole?.x ?? 0) + (whole?.width ?? 0));
    await expect(chart.locator('.chart-title').textContent()).resolves.toBe('<vm>&"web" (m1.small): compute-a → compute-b');
    await expect(chart.locator('.downtime-label').textContent()).resolves.toMatch(/^downtime: hypervisor 48\.0 ms · east-west \d+\.\d ms$/);
    // The pause band lies inside the downtime window, which spans it.
    const pause = await chart.locator('rect.hv-pause').boundingBox();
    expect(pause?.width).toBeGreaterThan(1);
    expect(pause?.x).toBeGreaterThanOrEqual(window?.x ?? Infinity);
    expect((pause?.x ?? 0) + (pause?.width ?? 0)).toBeLessThanOrEqual((window?.x ?? 0) + (window?.width ?? 0) + 0.5);
    const lost = page.locator('section.migration table.lost-probes tr[data-stream="east-west"]');
    await expect(lost.locator('td[data-lost="inside"]').textContent()).resolves.toBe('5');
    await expect(lost.locator('td[data-method="mtr"]').textContent()).resolves.toBe('100');
    await expect(page.locator('p.explanation[data-stream="east-west"]').isVisible()).resolves.toBe(true);
    await expect(page.locator('section[data-migration-id$="-000000000002"] .no-chart').textContent()).resolves.toBe(
      'no chart: report failed: tcpdump <exited> early',
    );
    await expect(page.locator('section.migration').count()).resolves.toBe(3);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('serves the chart alone as well-formed SVG (the browser parses it as XML)', async () => {
    const response = await page.goto(`${baseUrl}/migrations/00000000-0000-4000-8000-000000000001/report.svg`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toMatch(/^image\/svg\+xml/);
    // A parse error would leave chromium's error page, without the chart's elements.
    await expect(page.locator(':root').evaluate((root) => `${root.namespaceURI} ${root.localName}`)).resolves.toBe(
      'http://www.w3.org/2000/svg svg',
    );
    await expect(page.locator('rect.downtime-window').count()).resolves.toBe(1);
    await expect(page.locator('parsererror').count()).resolves.toBe(0);
  });
});

/** Two hosts, then migrations written straight to the table: one with a report from the real analyzer. */
async function seed(app: NestExpressApplication): Promise<void> {
  const hostIds: string[] = [];
  for (const [name, address] of [
    ['compute-a', '10.0.0.1'],
    ['compute-b', '10.0.0.2'],
  ]) {
    const res = await request(app.getHttpServer())
      .post('/hosts')
      .set(auth(OPERATOR))
      .send(sampleHost(name, { migrationAddress: address }));
    hostIds.push(res.body.id);
  }
  const analysis = await analyzeBuffers([encodeCapture(buildScenario(defaultScenario()).events, { format: 'pcap-us', link: 'ethernet' })]);
  const report = composeNetworkReport(analysis, analysis, { sourceAddress: '10.0.0.1', destinationAddress: '10.0.0.2' });
  const row = (n: number, over: Partial<LiveMigrationEntity>) => completedMigrationRow(n, hostIds, over);
  await app
    .get(DataSource)
    .getRepository(LiveMigrationEntity)
    .save([
      row(1, { instanceName: '<vm>&"web"', ...report.figures, hvDowntimeMs: 48, hvTotalTimeMs: 2100, reportState: 'ready', report }),
      row(2, {
        netTotalMigrationTimeMs: 3000,
        netDowntimeMs: 200,
        hvDowntimeMs: 52,
        netLossPct: 5,
        netJitterMs: 0.5,
        reportState: 'failed',
        reportError: 'tcpdump <exited> early',
      }),
      row(3, {
        flavorName: 'm1.large',
        flavorRamMiB: 8192,
        netTotalMigrationTimeMs: 9000,
        netDowntimeMs: 300,
        hvDowntimeMs: 90,
        netLossPct: 1,
        netJitterMs: 0.25,
      }),
    ]);
  // The scenario's outage begins 1.2 s in: the source paused at 1.195 s.
  await app
    .get(DataSource)
    .getRepository(MigrationPhaseEntity)
    .save({
      migrationId: '00000000-0000-4000-8000-000000000001',
      phase: 'switchover',
      enteredAt: new Date(defaultScenario().startSec * 1000 + 1195),
      detail: 'source paused (migrated) for stop-and-copy',
    });
}
