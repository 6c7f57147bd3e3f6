import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { analyzeCaptures, analyzeStreams } from '../../../src/analysis';
import { registerAnalyzeCommand } from '../../../src/cli/commands/analyze.command';
import { writeBulkPcap } from '../../support/pcap/bulk-capture';
import { encodeCapture } from '../../support/pcap/encode-capture';
import { hugeRecordPcap, pcapngWithCapturedLength } from '../../support/pcap/hostile-captures';
import { buildScenario, defaultScenario } from '../../support/pcap/scenario';

let dir = '';
let good = '';
let bad = '';
const { events, truth } = buildScenario(defaultScenario());

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'livemig-analyze-'));
  good = join(dir, 'good.pcapng');
  bad = join(dir, 'bad.pcap');
  const capture = encodeCapture(events, { format: 'pcapng', link: 'ethernet' });
  writeFileSync(good, capture);
  writeFileSync(bad, capture.subarray(0, capture.length - 9));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

/** Runs `livemig analyze ARGS` in-process: returns the exit code as main.ts would set it, and the output. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const program = new Command('livemig').exitOverride();
  program.configureOutput({ writeErr: (s) => (stderr += s), writeOut: (s) => (stdout += s) });
  registerAnalyzeCommand(program);
  program.commands.forEach((c) => c.exitOverride().configureOutput({ writeErr: (s) => (stderr += s), writeOut: (s) => (stdout += s) }));
  let code = 0;
  try {
    await program.parseAsync(['node', 'livemig', 'analyze', ...args]);
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    // main.ts turns any thrown error into exit 1; commander's usage errors carry their own non-zero code.
    code = err instanceof CommanderError ? err.exitCode : 1;
    if (!(err instanceof CommanderError)) stderr += String(err);
  }
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

describe('livemig analyze', () => {
  it('prints JSON with the report shape and exits 0', async () => {
    const { code, stdout } = await run([good, '--format', 'json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { packets: number; migrations: { payloadBytes: number }[]; probe: { lost: number } };
    expect(report.packets).toBe(events.length);
    expect(report.migrations[0].payloadBytes).toBe(truth.migrations[0].payloadBytes);
    expect(report.probe.lost).toBe(truth.probe?.lost);
  });

  // The CLI prints the analyzer's report as it is, whatever reads the file: here a capture of several read-ahead
  // chunks against fs streams' fresh buffer per chunk.
  it('prints JSON identical to the analyzer, over a file of several chunks', async () => {
    const bulk = join(dir, 'bulk.pcap');
    const truth = writeBulkPcap(bulk, {
      packets: 40_000,
      snaplen: 128,
      startSec: 1_763_780_000,
      segmentGapUs: 10,
      payloadPerSegment: 1448,
      probeIntervalMs: 10,
      probeRttUs: 300,
    });
    expect(truth.bytesWritten).toBeGreaterThan(4 * 1024 * 1024);
    const { code, stdout } = await run([bulk, '--format', 'json']);
    expect(code).toBe(0);
    const printed: unknown = JSON.parse(stdout);
    const direct = await analyzeCaptures([bulk]);
    const streamed = await analyzeStreams([{ name: bulk, stream: createReadStream(bulk, { highWaterMark: 64 * 1024 }) }]);
    expect(streamed).toEqual(direct);
    expect(printed).toEqual(JSON.parse(JSON.stringify(direct)));
    expect(direct.packets).toBe(truth.packets);
    expect(direct.migrations[0].payloadBytes).toBe(truth.payloadBytes);
  });

  it('prints a table an analyst can read', async () => {
    const { code, stdout } = await run([good, '--vm-ip', '10.0.0.50', '--probe-interval-ms', '10']);
    expect(code).toBe(0);
    expect(stdout).toContain('Migration streams:');
    expect(stdout).toContain('10.0.0.1:51234');
    expect(stdout).toContain(`lost ${truth.probe?.lost}`);
    expect(stdout).toMatch(/downtime \(gap method\) 70\.240 ms/);
  });

  it('prints CSV, one value per row', async () => {
    const { code, stdout } = await run([good, '--format', 'csv', '--timeline-ms', '500']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('section,index,field,value');
    expect(lines).toContain(`migration,0,payloadBytes,${truth.migrations[0].payloadBytes}`);
    expect(lines).toContain('capture,0,timelineMs,500');
  });

  it('exits 2 with file and offset on a capture-format error', async () => {
    const { code, stderr, stdout } = await run([bad]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/bad\.pcap: block runs past the end of file .*\(byte offset \d+\)/);
  });

  // Issue 15: a pcapng captured length of 2^31 or more was a RangeError (exit 1) or a bogus packet (exit 0).
  it.each([
    ['pcapng captured length 2^31', () => pcapngWithCapturedLength(2 ** 31), /runs past its block/],
    ['pcapng captured length 0xFFFFFFFC', () => pcapngWithCapturedLength(0xfffffffc), /runs past its block/],
    ['a pcap record claiming 4 GB', () => hugeRecordPcap(1024 * 1024), /captured length 4294967280 is absurd/],
  ])('exits 2 with the reason and offset on %s', async (name, make, reason) => {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.cap`);
    writeFileSync(file, make());
    const { code, stdout, stderr } = await run([file]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(reason);
    expect(stderr).toMatch(/\(byte offset \d+\)/);
  });

  it.each([
    [['--migration-ports', '70000-1']],
    [['--migration-ports', 'abc']],
    [['--timeline-ms', '0']],
    [['--format', 'xml']],
    [['--vm-ip', 'not-an-ip']],
    [['/nonexistent/capture.pcap']],
    [[]],
  ])('exits 1 on bad arguments %j', async (args) => {
    const { code } = await run(args.length > 0 && args[0].startsWith('/') ? args : [...(args.length > 0 ? [good] : []), ...args]);
    expect(code).toBe(1);
  });
});
