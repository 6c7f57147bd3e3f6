import type { NestExpressApplication } from '@nestjs/platform-express';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYST, auth, startTestApp } from '../support/api/test-app';
import { createTestDatabase, type TestDatabase } from '../support/api/test-database';

const MiB = 1024 * 1024;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

/** Sends a body of `declaredBytes` (or chunked) and returns the status, writing at most `sendBytes`. */
function rawUpload(base: string, sendBytes: number, declaredBytes?: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...auth(ANALYST), 'content-type': 'multipart/form-data; boundary=XyZ' };
    if (declaredBytes !== undefined) headers['content-length'] = String(declaredBytes);
    const req = httpRequest(`${base}/analyses`, { method: 'POST', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const pump = (): void => {
      while (sent < sendBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (declaredBytes === undefined) req.end();
    };
    req.write('--XyZ\r\nContent-Disposition: form-data; name="files"; filename="a.pcap"\r\n\r\n');
    pump();
  });
}

// The body of POST /analyses is spooled to disk unparsed; while 200 MiB arrive from another process, /health
// must keep answering at once. The bound is the 100 ms at p95 of many polls; on two shared cores the
// median sits at a few ms, so a p95 over 100 ms means the loop is really held up (the strict figures are the
// bench's). The capture is all zeros, so the analysis itself ends at once (422 at offset 0).
describe('POST /analyses: a 200 MiB upload streams to disk without holding up /health', () => {
  let db: TestDatabase;
  let app: NestExpressApplication;
  let base: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'livemig-upload-data-'));
  const dir = mkdtempSync(join(tmpdir(), 'livemig-upload-'));

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    app = await startTestApp({ databaseUrl: db.url, env: { LIVEMIG_DATA_DIR: dataDir, LIVEMIG_ANALYSIS_MAX_BYTES: String(256 * MiB) } });
    const server = app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('/health answers with p95 < 100 ms over the upload, and the upload ends in 422 with the offset', { timeout: 180_000 }, async () => {
    const path = join(dir, 'zeros.pcap');
    writeFileSync(path, '');
    truncateSync(path, 200 * MiB);
    const curl = spawn('curl', [
      '-sS',
      '-o',
      '-',
      '-w',
      '\n%{http_code}',
      '-H',
      `Authorization: Bearer ${ANALYST}`,
      '-F',
      `files=@${path}`,
      `${base}/analyses`,
    ]);
    let out = '';
    curl.stdout.on('data', (d: Buffer) => (out += d.toString()));
    let done = false;
    const finished = new Promise<void>((resolve) => curl.once('exit', () => resolve(void (done = true))));
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const latenciesMs: number[] = [];
    while (!done) {
      const t0 = performance.now();
      expect((await fetch(`${base}/health`)).status).toBe(200);
      latenciesMs.push(performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    loopDelay.disable();
    await finished;
    const [body = '', status] = out.split('\n');
    expect(status).toBe('422');
    expect(JSON.parse(body)).toMatchObject({ details: { file: 'zeros.pcap', offset: 0 } });
    latenciesMs.sort((a, b) => a - b);
    const p95 = percentile(latenciesMs, 0.95);
    console.log(
      `/health during a 200 MiB upload: ${latenciesMs.length} polls, p50 ${percentile(latenciesMs, 0.5).toFixed(1)} ms, ` +
        `p95 ${p95.toFixed(1)} ms, max ${latenciesMs.at(-1)?.toFixed(1)} ms; loop delay max ${(loopDelay.max / 1e6).toFixed(1)} ms`,
    );
    expect(latenciesMs.length).toBeGreaterThanOrEqual(20);
    expect(p95).toBeLessThan(100);
    expect(readdirSync(join(dataDir, 'uploads'))).toEqual([]);
  });

  it('a declared length over the budget: 413 before the body is read', async () => {
    expect(await rawUpload(base, 64 * 1024, 300 * MiB)).toBe(413);
  });

  it('a chunked body that grows over the budget: 413, and the spool file is removed', { timeout: 60_000 }, async () => {
    expect(await rawUpload(base, 257 * MiB)).toBe(413);
    expect(readdirSync(join(dataDir, 'uploads'))).toEqual([]);
  });

  it('not multipart: 415; a malformed multipart body: 400 with the reason', async () => {
    const json = await fetch(`${base}/analyses`, {
      method: 'POST',
      headers: { ...auth(ANALYST), 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(415);
    const broken = await fetch(`${base}/analyses`, {
      method: 'POST',
      headers: { ...auth(ANALYST), 'content-type': 'multipart/form-data; boundary=XyZ' },
      body: '--XyZ\r\nContent-Disposition: form-data; name="files"; filename="a.pcap"\r\n\r\nno closing boundary',
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { message: string }).message).toMatch(/closing boundary/);
  });
});
