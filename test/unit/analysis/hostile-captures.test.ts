import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCaptures, analyzeStreams, CaptureFormatError } from '../../../src/analysis';
import { ProbeTracker, MAX_PROBE_TARGETS } from '../../../src/analysis/core/probe-tracker';
import { MAX_TRACKED_STREAMS } from '../../../src/analysis/core/tcp-stream-table';
import { writeBulkPcap } from '../../support/pcap/bulk-capture';
import { hugeRecordPcap, pcapngWithCapturedLength, writeSynFloodPcap } from '../../support/pcap/hostile-captures';

// The cases of issue 15, reproduced; time and memory are measured by npm run bench:analyze, not asserted here.
const dir = mkdtempSync(join(tmpdir(), 'livemig-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Feeds `buf` in 1 MiB chunks and counts how many the reader asked for before it answered. */
async function analyzeCounting(buf: Buffer): Promise<{ err: unknown; chunksRead: number }> {
  let chunksRead = 0;
  function* chunks(): Generator<Buffer> {
    for (let at = 0; at < buf.length; at += 1 << 20) {
      chunksRead += 1;
      yield buf.subarray(at, at + (1 << 20));
    }
  }
  const err = await analyzeStreams([{ name: 'upload', stream: Readable.from(chunks()) }]).then(
    () => null,
    (e: unknown) => e,
  );
  return { err, chunksRead };
}

describe('hostile captures: a clear error at once, or a bounded report', () => {
  it('snaplen 0xFFFFFFFF and a record claiming 4 GB: an error at its offset from the first chunk, not after the file', async () => {
    const { err, chunksRead } = await analyzeCounting(hugeRecordPcap(16 * 1024 * 1024));
    expect(err).toBeInstanceOf(CaptureFormatError);
    expect((err as CaptureFormatError).offset).toBe(24);
    expect((err as CaptureFormatError).reason).toMatch(/captured length 4294967280 is absurd/);
    expect(chunksRead).toBe(1);
  });

  it.each([2 ** 31, 2 ** 31 + 4, 0xfffffffc, 0xffffffff])(
    'pcapng captured length %i: error at its offset, no bogus packet',
    async (captured) => {
      const { err } = await analyzeCounting(pcapngWithCapturedLength(captured));
      expect(err).toBeInstanceOf(CaptureFormatError);
      expect((err as CaptureFormatError).reason).toMatch(/runs past its block/);
      expect((err as CaptureFormatError).offset).toBe(28 + 20 + 20);
    },
  );

  it('a SYN flood beside a migration: the flow table stays bounded, the migration stream is reported whole', async () => {
    const flood = join(dir, 'flood.pcap');
    const migration = join(dir, 'migration.pcap');
    writeSynFloodPcap(flood, 3 * MAX_TRACKED_STREAMS);
    const truth = writeBulkPcap(migration, {
      packets: 6000,
      snaplen: 128,
      startSec: 1_763_780_000,
      segmentGapUs: 10,
      payloadPerSegment: 1448,
      probeIntervalMs: 10,
      probeRttUs: 300,
    });
    const r = await analyzeCaptures([flood, migration]);
    expect(r.packets).toBe(truth.packets + 3 * MAX_TRACKED_STREAMS);
    expect(r.migrations.length).toBeLessThanOrEqual(MAX_TRACKED_STREAMS);
    const big = r.migrations.find((m) => m.sourcePort === 51234);
    expect(big?.payloadBytes).toBe(truth.payloadBytes);
    expect(r.warnings.some((w) => /^flow table full \(8192 TCP connections\): \d+ smaller connections were dropped/.test(w))).toBe(true);
  });

  it('an echo sweep over many addresses keeps the probe target and says what it dropped', () => {
    const probes = new ProbeTracker(undefined);
    for (let seq = 0; seq < 100; seq++) {
      probes.request('10.0.0.50', 1, seq, seq * 1e7);
      probes.reply('10.0.0.50', 1, seq, seq * 1e7 + 3e5);
    }
    for (let i = 0; i < 4 * MAX_PROBE_TARGETS; i++) probes.request(`10.9.${i >> 8}.${i & 255}`, 7, 0, 1e9 + i);
    const warnings: string[] = [];
    const report = probes.report(10, warnings);
    expect(report).toMatchObject({ target: '10.0.0.50', sent: 100, received: 100 });
    expect(probes.warnings().some((w) => /echo targets with the fewest requests were dropped/.test(w))).toBe(true);
  });
});
