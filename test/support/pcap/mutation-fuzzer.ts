import { CaptureFormatError } from '../../../src/analysis/capture-format.error';
import { AnalysisReport } from '../../../src/analysis/core/analysis-report';
import { seededRandom } from '../../../src/migration/core/sim/prng';
import { analyzeBuffers } from './analyze-buffer';
import { encodeCapture, EncodeOptions } from './encode-capture';
import { enhancedPacketBlock, hugeRecordPcap, pcapngPreamble, pcapngWithCapturedLength } from './hostile-captures';
import { buildScenario, defaultScenario } from './scenario';

// A deterministic mutation fuzzer over the project's synthetic captures and the structural edge cases of the
// formats (lengths at 0, 2^31, 2^32 − 4, snaplen extremes, truncated headers, nested blocks). The unit suite
// runs 10,000 cases, npm run bench:fuzz 100,000; each must give a sane report or a CaptureFormatError.

/** 32-bit values that sit on the edges of every length and offset check. */
const EDGE_WORDS = [0, 1, 3, 4, 11, 12, 16, 28, 32, 0xffff, 262_144, 262_145, 0x7fffffff, 0x80000000, 0x80000004, 0xfffffffc, 0xffffffff];

function baseCaptures(): Buffer[] {
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
    { format: 'pcapng', link: 'ethernet', simple: true },
  ];
  return [
    ...bases.map((o) => encodeCapture(events, o)),
    hugeRecordPcap(4096),
    pcapngWithCapturedLength(0x80000000),
    // Blocks nested inside a block's body: the outer length covers the inner ones.
    Buffer.concat([pcapngPreamble(), enhancedPacketBlock(100, 100, 100), enhancedPacketBlock(60, 60, 60)]),
  ];
}

export type Random = () => number;

export function mutate(base: Buffer, rand: Random): Buffer {
  const pick = (n: number): number => Math.floor(rand() * n);
  let buf = Buffer.from(base);
  const steps = 1 + pick(4);
  for (let s = 0; s < steps && buf.length > 0; s++) {
    const at = pick(buf.length);
    switch (pick(9)) {
      case 0: // flip bits
        buf[at] ^= 1 << pick(8);
        break;
      case 1: {
        // an edge value into a 4-aligned word: lengths, magics, snaplens, interface ids, timestamps
        const word = at & ~3;
        if (word + 4 <= buf.length) {
          const v = [...EDGE_WORDS, pick(2 ** 32), buf.readUInt32LE(word) + 4, buf.readUInt32LE(word) - 4][pick(EDGE_WORDS.length + 3)];
          if (pick(2) === 0) buf.writeUInt32LE(v >>> 0, word);
          else buf.writeUInt32BE(v >>> 0, word);
        }
        break;
      }
      case 2: // snaplen extremes (pcap global header; pcapng first IDB)
        if (buf.length >= 24)
          buf.writeUInt32LE([0, 1, 0xffffffff, 0x80000000, 262_144][pick(5)] >>> 0, pick(2) === 0 ? 16 : Math.min(40, buf.length - 4));
        break;
      case 3: // truncate, often inside a header
        buf = buf.subarray(0, pick(3) === 0 ? pick(Math.min(buf.length, 64)) : at);
        break;
      case 4: // delete a few bytes
        buf = Buffer.concat([buf.subarray(0, at), buf.subarray(Math.min(buf.length, at + 1 + pick(16)))]);
        break;
      case 5: // insert random bytes
        buf = Buffer.concat([buf.subarray(0, at), Buffer.from(Array.from({ length: 1 + pick(16) }, () => pick(256))), buf.subarray(at)]);
        break;
      case 6: {
        // nest: copy a slice of the file into itself (blocks inside blocks, repeated headers and sections)
        const from = pick(buf.length);
        const slice = buf.subarray(from, Math.min(buf.length, from + 1 + pick(256)));
        buf = Buffer.concat([buf.subarray(0, at), slice, buf.subarray(at)]);
        break;
      }
      case 7: // a 16-bit edge (option lengths, link types, VLAN tags, IP lengths)
        if (at + 2 <= buf.length) buf.writeUInt16LE([0, 1, 0x7fff, 0x8000, 0xfffc, 0xffff][pick(6)], at);
        break;
      default: // random byte
        buf[at] = pick(256);
    }
  }
  return buf;
}

/** Throws when a report breaks an invariant any analysis must keep. */
export function checkSane(r: AnalysisReport): void {
  let finite = true;
  JSON.stringify(r, (_k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) finite = false;
    return v;
  });
  if (!finite) throw new Error('report holds a non-finite number');
  if (r.timeline.reduce((a, b) => a + b.packets, 0) !== r.packets) throw new Error('timeline packets do not add up to the packet count');
  if (r.probe !== null && r.probe.sent !== r.probe.received + r.probe.lost) throw new Error('probe sent ≠ received + lost');
  if (r.migrations.some((m) => m.payloadBytes < 0)) throw new Error('negative migration payload');
}

export interface FuzzOutcome {
  cases: number;
  reports: number;
  formatErrors: number;
  /** Anything else thrown: always a bug. */
  crashes: { index: number; message: string }[];
  /** Cases slower than the hang threshold. */
  hangs: number;
  slowestCaseMs: number;
  maxRssBytes: number;
}

/** Runs `cases` mutations from `seed`; a case slower than hangMs counts as a hang. */
export async function runFuzz(cases: number, seed: number, hangMs = 2000): Promise<FuzzOutcome> {
  const rand = seededRandom(seed);
  const captures = baseCaptures();
  const out: FuzzOutcome = { cases, reports: 0, formatErrors: 0, crashes: [], hangs: 0, slowestCaseMs: 0, maxRssBytes: 0 };
  for (let i = 0; i < cases; i++) {
    const input = mutate(captures[i % captures.length], rand);
    const chunkBytes = rand() < 0.5 ? 1 + Math.floor(rand() * 64) : 1 + Math.floor(rand() * 65_536);
    const start = performance.now();
    try {
      checkSane(await analyzeBuffers([input], {}, chunkBytes));
      out.reports += 1;
    } catch (err) {
      if (err instanceof CaptureFormatError && err.offset >= 0 && err.offset <= input.length) out.formatErrors += 1;
      else out.crashes.push({ index: i, message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    }
    const ms = performance.now() - start;
    out.slowestCaseMs = Math.max(out.slowestCaseMs, ms);
    if (ms > hangMs) out.hangs += 1;
    if (i % 64 === 0) out.maxRssBytes = Math.max(out.maxRssBytes, process.memoryUsage().rss);
  }
  out.maxRssBytes = Math.max(out.maxRssBytes, process.memoryUsage().rss);
  return out;
}
