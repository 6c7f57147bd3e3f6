import { describe, expect, it } from 'vitest';
import { CaptureFormatError } from '../../../src/analysis/capture-format.error';
import { AnalysisReport } from '../../../src/analysis/core/analysis-report';
import { encodeCapture, EncodeOptions } from '../../support/pcap/encode-capture';
import { buildScenario, defaultScenario } from '../../support/pcap/scenario';
import { analyzeBuffers } from '../../support/pcap/analyze-buffer';
import { seededRandom as mulberry32 } from '../../../src/migration/core/sim/prng';

// Deterministic: the same seed gives the same 1,200 mutated captures on every run.
const spec = defaultScenario();
spec.migrations[0].segments = 20;
spec.probe = spec.probe === null ? null : { ...spec.probe, count: 40, outageFrom: 10, outageProbes: 3, lostIndexes: [30] };
const { events } = buildScenario(spec);
const bases: EncodeOptions[] = [
  { format: 'pcap-us', link: 'ethernet' },
  { format: 'pcap-ns', link: 'qinq', bigEndian: true },
  { format: 'pcapng', link: 'sll', tsresols: [6, 9, 7] },
  { format: 'pcapng', link: 'sll2', bigEndian: true, tsresols: [9] },
  { format: 'pcap-us', link: 'raw' },
];
const captures = bases.map((o) => encodeCapture(events, o));

function mutate(base: Buffer, rand: () => number): Buffer {
  const pick = (n: number): number => Math.floor(rand() * n);
  let buf = Buffer.from(base);
  const steps = 1 + pick(4);
  for (let s = 0; s < steps; s++) {
    const at = pick(buf.length);
    switch (pick(6)) {
      case 0: // flip bits
        buf[at] ^= 1 << pick(8);
        break;
      case 1: // overwrite a 32-bit word: lengths, magics, interface ids, timestamps
        if (at + 4 <= buf.length) buf.writeUInt32LE([0, 1, 0xffffffff, pick(2 ** 32), buf.readUInt32LE(at) + 4][pick(5)] >>> 0, at);
        break;
      case 2: // truncate
        buf = buf.subarray(0, at);
        break;
      case 3: // delete a few bytes
        buf = Buffer.concat([buf.subarray(0, at), buf.subarray(Math.min(buf.length, at + 1 + pick(16)))]);
        break;
      case 4: // insert random bytes
        buf = Buffer.concat([buf.subarray(0, at), Buffer.from(Array.from({ length: 1 + pick(16) }, () => pick(256))), buf.subarray(at)]);
        break;
      default: // random byte
        buf[at] = pick(256);
    }
    if (buf.length === 0) break;
  }
  return buf;
}

function expectSane(r: AnalysisReport): void {
  const numbers: number[] = [];
  JSON.stringify(r, (_k, v: unknown) => {
    if (typeof v === 'number') numbers.push(v);
    return v;
  });
  expect(numbers.every(Number.isFinite)).toBe(true);
  expect(r.timeline.reduce((a, b) => a + b.packets, 0)).toBe(r.packets);
  if (r.probe !== null) expect(r.probe.sent).toBe(r.probe.received + r.probe.lost);
  for (const m of r.migrations) expect(m.payloadBytes).toBeGreaterThanOrEqual(0);
}

describe('fuzz: mutated and truncated captures', () => {
  it('1,200 cases: each a valid report or a CaptureFormatError, never another exception or a hang', { timeout: 120_000 }, async () => {
    const rand = mulberry32(0x11fe_3a9);
    const outcomes = { report: 0, formatError: 0 };
    for (let i = 0; i < 1200; i++) {
      const base = captures[i % captures.length];
      const input = mutate(base, rand);
      const chunkBytes = 1 + Math.floor(rand() * 5000);
      try {
        expectSane(await analyzeBuffers([input], {}, chunkBytes));
        outcomes.report += 1;
      } catch (err) {
        if (!(err instanceof CaptureFormatError)) throw new Error(`case ${i}: ${String(err)}`);
        expect(err.offset).toBeGreaterThanOrEqual(0);
        expect(err.offset).toBeLessThanOrEqual(input.length);
        outcomes.formatError += 1;
      }
    }
    // Both outcomes must occur, or the mutations are not reaching the parsers.
    expect(outcomes.report).toBeGreaterThan(100);
    expect(outcomes.formatError).toBeGreaterThan(100);
  });
});
