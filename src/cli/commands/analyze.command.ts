import { access } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  AnalysisOptions,
  AnalysisOptionsError,
  analyzeCaptures,
  AnalyzeProgress,
  CaptureFormatError,
  formatCsv,
  formatTable,
  resolveAnalysisOptions,
} from '../../analysis';

type OutputFormat = 'table' | 'json' | 'csv';

interface AnalyzeFlags {
  vmIp?: string;
  migrationPorts: { from: number; to: number };
  rpcPorts: number[];
  echoPorts: number[];
  probeIntervalMs?: number;
  timelineMs: number;
  format: OutputFormat;
}

/** Exit status for capture-format errors; bad arguments exit 1 (commander and main's handler). */
export const EXIT_CAPTURE_FORMAT = 2;

function parsePortRange(text: string): { from: number; to: number } {
  const m = /^(\d{1,5})-(\d{1,5})$/.exec(text);
  if (m === null) throw new InvalidArgumentError('expected FROM-TO, e.g. 49152-49215');
  return { from: Number(m[1]), to: Number(m[2]) };
}

function parsePortList(text: string): number[] {
  if (!/^\d{1,5}(,\d{1,5})*$/.test(text)) throw new InvalidArgumentError('expected a comma-separated list of ports');
  return text.split(',').map(Number);
}

function parsePositive(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

// A one-line progress bar, redrawn in place; only when a person watches stderr.
function progressBar(): ((p: AnalyzeProgress) => void) | undefined {
  if (process.stderr.isTTY !== true) return undefined;
  let lastDrawn = 0;
  return ({ bytesRead, totalBytes }) => {
    const now = Date.now();
    if (now - lastDrawn < 100 && bytesRead < totalBytes) return;
    lastDrawn = now;
    const fraction = totalBytes > 0 ? Math.min(1, bytesRead / totalBytes) : 0;
    const width = 30;
    const filled = Math.round(fraction * width);
    process.stderr.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)} % ${(bytesRead / 1048576).toFixed(1)} MiB`,
    );
  };
}

export async function runAnalyze(files: string[], flags: AnalyzeFlags): Promise<void> {
  const given: Partial<AnalysisOptions> = {
    vmIp: flags.vmIp,
    migrationPorts: flags.migrationPorts,
    rpcPorts: flags.rpcPorts,
    echoPorts: flags.echoPorts,
    probeIntervalMs: flags.probeIntervalMs,
    timelineMs: flags.timelineMs,
  };
  try {
    resolveAnalysisOptions(given);
  } catch (err) {
    if (err instanceof AnalysisOptionsError) throw new Error(`bad argument: ${err.message}`, { cause: err });
    throw err;
  }
  for (const file of files) {
    await access(file).catch(() => {
      throw new Error(`cannot read capture file ${file}`);
    });
  }
  const onProgress = progressBar();
  try {
    const report = await analyzeCaptures(files, given, { onProgress });
    if (onProgress !== undefined) process.stderr.write('\n');
    const text =
      flags.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : flags.format === 'csv' ? formatCsv(report) : formatTable(report);
    process.stdout.write(text);
  } catch (err) {
    if (onProgress !== undefined) process.stderr.write('\n');
    if (err instanceof CaptureFormatError) {
      process.stderr.write(`livemig: capture format error: ${err.file}: ${err.reason} (byte offset ${err.offset})\n`);
      process.exitCode = EXIT_CAPTURE_FORMAT;
      return;
    }
    throw err;
  }
}

export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze')
    .description('analyze pcap/pcapng captures of a live migration: migration streams, libvirt RPC, probe downtime')
    .argument('<files...>', 'capture files (pcap µs/ns or pcapng), merged by timestamp')
    .option('--vm-ip <ip>', "the guest's IP (probe target); default: the IP that received the most echo requests")
    .addOption(
      new Option('--migration-ports <from-to>', "QEMU's migration port range")
        .argParser(parsePortRange)
        .default({ from: 49152, to: 49215 }, '49152-49215'),
    )
    .addOption(
      new Option('--rpc-ports <list>', 'libvirt RPC ports, reported apart').argParser(parsePortList).default([16509, 22], '16509,22'),
    )
    .addOption(new Option('--echo-ports <list>', 'TCP echo probe ports').argParser(parsePortList).default([7], '7'))
    .option('--probe-interval-ms <n>', "the prober's interval; default: the median gap between requests", parsePositive)
    .option('--timeline-ms <n>', 'timeline bucket width', parsePositive, 100)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .action((files: string[], flags: AnalyzeFlags) => runAnalyze(files, flags));
}
