// npm run bench:analyze — livemig's capture analyzer against capinfos -c, tshark and a bare pcap-parser loop,
// measured side by side in one run, the way a user times the commands (whole CLI, JSON out); peak RSS on the
// 2 M-packet capture, on a hostile 1 M-flow capture and on one over 1 GB; the issue-15 hostile files' times.
// Prints ratios and whether each goal is met.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { AnalysisReport, analyzeCaptures } from '../src/analysis';
import { BulkCaptureSpec, writeBulkPcap } from '../test/support/pcap/bulk-capture';
import { hugeRecordPcap, writeSynFloodPcap } from '../test/support/pcap/hostile-captures';
import { writeFileSync } from 'node:fs';

// pcap-parser has no type declarations; only its event API is used.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pcapParser = require('pcap-parser') as { parse(path: string): NodeJS.EventEmitter };

const GOAL_VS_TSHARK = 30; // livemig at least 30× faster
const GOAL_VS_PCAP_PARSER = 1.2; // livemig at most 1.2× the bare parse loop
const GOAL_RSS_MIB = 150;
const GOAL_VS_CAPINFOS = 2; // the whole CLI at most 2× capinfos -c on the same file
const GOAL_HOSTILE_RSS_MIB = 200;

const baseSpec: Omit<BulkCaptureSpec, 'packets'> = {
  snaplen: 128,
  startSec: 1_763_780_000,
  segmentGapUs: 10,
  payloadPerSegment: 1448,
  probeIntervalMs: 10,
  probeRttUs: 300,
};

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function best<T>(runs: number, fn: () => Promise<T>): Promise<{ s: number; value: T }> {
  let bestS = Infinity;
  let value: T | undefined;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    value = await fn();
    bestS = Math.min(bestS, seconds(start));
  }
  return { s: bestS, value: value as T };
}

function pcapParserLoop(path: string): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    let packets = 0;
    const parser = pcapParser.parse(path);
    parser.on('packet', () => (packets += 1));
    parser.on('end', () => resolvePromise(packets));
    parser.on('error', reject);
  });
}

interface TsharkBucket {
  packets: number;
  bytes: number;
}

function tsharkIoStat(path: string): { s: number; buckets: TsharkBucket[] } {
  const start = process.hrtime.bigint();
  const run = spawnSync('tshark', ['-q', '-z', 'io,stat,0.1', '-r', path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const s = seconds(start);
  if (run.status !== 0) throw new Error(`tshark failed: ${run.stderr}`);
  const buckets = [...run.stdout.matchAll(/^\|\s*[\d.]+\s*<>\s*[\d.Dur]+\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|/gm)].map((m) => ({
    packets: Number(m[1]),
    bytes: Number(m[2]),
  }));
  return { s, buckets };
}

function timedChild(args: string[]): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}`);
  return seconds(start);
}

// The whole CLI: includes loading every command module (some pull in NestJS), not only the analyzer.
function livemigCli(path: string): number {
  return timedChild([resolve(__dirname, '../../bin/livemig.js'), 'analyze', path, '--format', 'json']);
}

// A fresh process that loads only the analyzer and prints the JSON report, like tshark's own process.
function livemigProcess(path: string): number {
  const script = `require(${JSON.stringify(resolve(__dirname, '../src/analysis'))}).analyzeCaptures([${JSON.stringify(path)}]).then((r) => process.stdout.write(JSON.stringify(r)));`;
  return timedChild(['-e', script]);
}

/** Wall time and peak RSS of a command, through GNU time (the CLI's own RSS, as a user's `time -v` shows). Its
 * output goes to `outPath` when given, as `> out.json` would, else nowhere. */
function timedCommand(command: string, args: string[], outPath?: string): { s: number; rssMiB: number; status: number | null } {
  const out = outPath === undefined ? 'ignore' : openSync(outPath, 'w');
  const start = process.hrtime.bigint();
  const run = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { stdio: ['ignore', out, 'pipe'], encoding: 'utf8' });
  const s = seconds(start);
  if (typeof out === 'number') closeSync(out);
  const kib = Number(/(\d+)\s*$/.exec(run.stderr ?? '')?.[1] ?? Number.NaN);
  return { s, rssMiB: kib / 1024, status: run.status };
}

const CLI = resolve(__dirname, '../../bin/livemig.js');
const cliRun = (path: string, outPath?: string): ReturnType<typeof timedCommand> =>
  timedCommand(process.execPath, [CLI, 'analyze', path, '--format', 'json'], outPath);

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

// capinfos -c and the CLI alternately, five rounds, best of each: both see the same cache and load (the load average
// is printed: on a shared 2-core machine other work slows the CLI's start and JIT more than capinfos). Every
// round's JSON must equal the in-process report (`reference`) and capinfos's count the generator's: a fast wrong
// answer does not count.
function versusCapinfos(path: string, reference: AnalysisReport, outPath: string): void {
  let cap = Infinity;
  let ours = Infinity;
  let rss = 0;
  let identical = true;
  let capinfosCounts = true;
  // Compared as JSON: the CLI's output cannot carry the in-memory report's undefined fields.
  const expected: unknown = JSON.parse(JSON.stringify(reference));
  const capRounds: string[] = [];
  const ourRounds: string[] = [];
  const loadBefore = load();
  for (let round = 0; round < 5; round++) {
    const c = timedCommand('capinfos', ['-c', path], outPath);
    if (c.status !== 0) throw new Error('capinfos -c failed (Debian package wireshark-common)');
    // capinfos prints the count in SI units ("2000 k"): equal to the generator's to the unit shown.
    const shown = /^Number of packets:\s*([\d.]+)\s*(k|M)?\s*$/m.exec(readFileSync(outPath, 'utf8'));
    const unit = shown?.[2] === 'M' ? 1e6 : shown?.[2] === 'k' ? 1e3 : 1;
    capinfosCounts &&= shown !== null && Math.abs(Number(shown[1]) * unit - reference.packets) < unit;
    cap = Math.min(cap, c.s);
    const l = cliRun(path, outPath);
    if (l.status !== 0) throw new Error(`livemig analyze exited ${l.status}`);
    identical &&= isDeepStrictEqual(JSON.parse(readFileSync(outPath, 'utf8')), expected);
    ours = Math.min(ours, l.s);
    rss = Math.max(rss, l.rssMiB);
    capRounds.push(c.s.toFixed(3));
    ourRounds.push(l.s.toFixed(3));
  }
  rmSync(outPath);
  const ratio = ours / cap;
  console.log(`load average (1, 5, 15 min) before: ${loadBefore}, after: ${load()}`);
  console.log(`  rounds, capinfos -c: ${capRounds.join(' ')} s; livemig analyze: ${ourRounds.join(' ')} s`);
  console.log(
    `capinfos -c: ${cap.toFixed(3)} s; livemig analyze --format json (whole CLI): ${ours.toFixed(3)} s, peak RSS ${rss.toFixed(0)} MiB`,
  );
  console.log(
    `  CLI JSON identical to the in-process report every round: ${identical ? 'yes' : 'NO'}; capinfos counted the ${reference.packets} packets every round: ${capinfosCounts ? 'yes' : 'NO'}`,
  );
  if (!identical) throw new Error('livemig analyze printed a report other than the in-process one');
  console.log(
    `  livemig CLI / capinfos -c time = ${ratio.toFixed(2)}× (goal ≤ ${GOAL_VS_CAPINFOS}×): ${verdict(ratio <= GOAL_VS_CAPINFOS)}`,
  );
  console.log(`  CLI peak RSS ${rss.toFixed(0)} MiB (goal ≤ ${GOAL_RSS_MIB} MB): ${verdict(rss <= GOAL_RSS_MIB)}`);
}

// The hostile captures of issue 15 through the CLI: a SYN per flow, and records claiming 4 GB (linear, exit 2).
function hostile(dir: string): void {
  const flood = join(dir, 'syn-flood.pcap');
  const truth = writeSynFloodPcap(flood, 1_000_000);
  const out = join(dir, 'syn-flood.json');
  const r = cliRun(flood, out);
  // The report must still count every packet (the flows past the cap are dropped with a warning, not the packets).
  const counted = r.status === 0 ? (JSON.parse(readFileSync(out, 'utf8')) as AnalysisReport).packets : -1;
  console.log(
    `hostile: ${truth.packets} TCP SYNs, one flow each (${(truth.bytesWritten / 1e6).toFixed(0)} MB): CLI ${r.s.toFixed(2)} s, exit ${r.status}, ${counted} packets in its report, peak RSS ${r.rssMiB.toFixed(0)} MiB (goal ≤ ${GOAL_HOSTILE_RSS_MIB} MB): ${verdict(r.status === 0 && counted === truth.packets && r.rssMiB <= GOAL_HOSTILE_RSS_MIB)}`,
  );
  rmSync(flood);
  rmSync(out, { force: true });
  const times: string[] = [];
  for (const mib of [16, 32, 64]) {
    const path = join(dir, `huge-record-${mib}.pcap`);
    writeFileSync(path, hugeRecordPcap(mib * 1024 * 1024));
    const h = cliRun(path);
    times.push(`${mib} MiB ${h.s.toFixed(2)} s exit ${h.status} RSS ${h.rssMiB.toFixed(0)} MiB`);
    rmSync(path);
  }
  console.log(`hostile: snaplen 0xFFFFFFFF, a record claiming 4 GB: ${times.join('; ')}`);
}

// Peak RSS of a fresh process analyzing the file, as an operator would run it.
function peakRssMiB(path: string): { mib: number; packets: number } {
  const script = `require(${JSON.stringify(resolve(__dirname, '../src/analysis'))}).analyzeCaptures([${JSON.stringify(path)}]).then((r) => { process.stdout.write(JSON.stringify({ kib: process.resourceUsage().maxRSS, packets: r.packets })); });`;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`RSS child failed: ${run.stderr}`);
  const parsed = JSON.parse(run.stdout) as { kib: number; packets: number };
  return { mib: parsed.kib / 1024, packets: parsed.packets };
}

const verdict = (ok: boolean): string => (ok ? 'MET' : 'NOT MET');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'livemig-bench-'));
  try {
    const small = join(dir, 'two-million.pcap');
    const truth = writeBulkPcap(small, { ...baseSpec, packets: 2_000_000 });
    console.log(
      `capture: ${truth.packets} packets, ${(truth.bytesWritten / 1048576).toFixed(0)} MiB, classic pcap µs, snaplen ${baseSpec.snaplen}`,
    );

    const ours = await best(3, () => analyzeCaptures([small]));
    const report = ours.value;
    const correct =
      report.packets === truth.packets &&
      report.migrations[0]?.payloadBytes === truth.payloadBytes &&
      report.probe?.sent === truth.probesSent;
    console.log(
      `livemig analyze (in process): ${ours.s.toFixed(3)} s, ${(truth.packets / ours.s / 1e6).toFixed(2)} Mpackets/s; payload and probe counts match the generator: ${correct ? 'yes' : 'NO'}`,
    );

    versusCapinfos(small, report, join(dir, 'out.txt'));

    const parser = await best(3, () => pcapParserLoop(small));
    const parserRatio = ours.s / parser.s;
    console.log(`pcap-parser bare read loop:   ${parser.s.toFixed(3)} s (${parser.value} packets)`);
    console.log(
      `  livemig / pcap-parser time = ${parserRatio.toFixed(2)}× (goal ≤ ${GOAL_VS_PCAP_PARSER}×): ${verdict(parserRatio <= GOAL_VS_PCAP_PARSER)}`,
    );

    const tshark = tsharkIoStat(small);
    const processS = Math.min(livemigProcess(small), livemigProcess(small));
    const cli = livemigCli(small);
    // What a user timing the two commands sees: tshark against the whole CLI.
    const tsharkRatio = tshark.s / cli;
    console.log(`tshark -q -z io,stat,0.1:     ${tshark.s.toFixed(3)} s`);
    console.log(
      `livemig, fresh process (analyzer + JSON report): ${processS.toFixed(3)} s; whole CLI (all commands loaded): ${cli.toFixed(3)} s`,
    );
    console.log(
      `  tshark / livemig CLI time = ${tsharkRatio.toFixed(1)}× (goal ≥ ${GOAL_VS_TSHARK}×): ${verdict(tsharkRatio >= GOAL_VS_TSHARK)}`,
    );
    console.log(
      `  tshark / livemig analyzer-only process = ${(tshark.s / processS).toFixed(1)}×; tshark / livemig in-process = ${(tshark.s / ours.s).toFixed(1)}×`,
    );
    const agree =
      tshark.buckets.length === report.timeline.length &&
      tshark.buckets.every((b, i) => b.packets === report.timeline[i].packets && b.bytes === report.timeline[i].bytes);
    console.log(
      `  100 ms timeline (packets, bytes) identical to tshark's io,stat: ${agree ? 'yes' : 'NO'} (${report.timeline.length} vs ${tshark.buckets.length} buckets)`,
    );
    rmSync(small);
    hostile(dir);

    const big = join(dir, 'over-one-gib.pcap');
    const bigTruth = writeBulkPcap(big, { ...baseSpec, packets: 8_600_000 });
    const bigBytes = statSync(big).size;
    const rss = peakRssMiB(big);
    console.log(`capture: ${bigTruth.packets} packets, ${(bigBytes / 1e9).toFixed(2)} GB`);
    console.log(
      `  peak RSS of a process analyzing it: ${rss.mib.toFixed(1)} MiB (goal ≤ ${GOAL_RSS_MIB} MB; read ${rss.packets} packets): ${verdict(rss.mib <= GOAL_RSS_MIB && bigBytes >= 1e9 && rss.packets === bigTruth.packets)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
