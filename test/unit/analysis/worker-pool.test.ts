import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureFormatError } from '../../../src/analysis';
import { AnalysisWorkerPool } from '../../../src/analysis/api/analysis-worker-pool';
import { encodeCapture } from '../../support/pcap/encode-capture';
import { buildScenario, defaultScenario } from '../../support/pcap/scenario';

const dir = mkdtempSync(join(tmpdir(), 'livemig-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { events, truth } = buildScenario(defaultScenario());
const good = join(dir, 'good.pcap');
writeFileSync(good, encodeCapture(events, { format: 'pcap-us', link: 'ethernet' }));
const bad = join(dir, 'bad.pcap');
writeFileSync(bad, Buffer.from('not a capture at all'));
const whole = (path: string) => ({ captures: [{ name: path, path, start: 0, end: statSync(path).size }], options: {} });

describe('analysis worker pool', () => {
  const pool = new AnalysisWorkerPool({ workers: 2, timeoutMs: 60_000, maxQueued: 4, heapMiB: 256 });

  it('runs analyses in worker threads, one after another and several at once', { timeout: 120_000 }, async () => {
    expect((await pool.run(whole(good))).packets).toBe(truth.packets);
    expect((await pool.run(whole(good))).packets).toBe(truth.packets);
    const many = await Promise.allSettled([good, bad, good, bad].map((p) => pool.run(whole(p))));
    expect(many.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    const err = (many[1] as PromiseRejectedResult).reason as unknown;
    expect(err).toBeInstanceOf(CaptureFormatError);
    expect(err).toMatchObject({ offset: 0, file: bad });
  });

  it('reads a capture from a byte range of a larger file (an upload inside its spool file)', { timeout: 60_000 }, async () => {
    const capture = encodeCapture(events, { format: 'pcap-us', link: 'ethernet' });
    const spool = join(dir, 'spool.upload');
    writeFileSync(spool, Buffer.concat([Buffer.from('garbage before\r\n'), capture, Buffer.from('\r\ngarbage after')]));
    const start = 'garbage before\r\n'.length;
    const report = await pool.run({ captures: [{ name: 'up.pcap', path: spool, start, end: start + capture.length }], options: {} });
    expect(report.packets).toBe(truth.packets);
  });
});
