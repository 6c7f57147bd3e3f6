import type { ProcessResult, ProcessRunner, RunningProcess } from '../../../../common/process/process-runner';
import { buildTcpdumpArgs, type TcpdumpOptions } from './tcpdump-args';
import { parseTcpdumpStats, TCPDUMP_LISTENING, tcpdumpErrorReason, type TcpdumpStats } from './tcpdump-stats';

export type CaptureEnd = 'stopped' | 'packet-limit' | 'failed';

export interface CaptureResult {
  endedBy: CaptureEnd;
  stats: TcpdumpStats;
  exitCode: number | undefined;
  signal: string | undefined;
  /** The last stderr lines, for a reason when tcpdump failed. */
  message: string;
}

export interface CaptureHandle {
  readonly file: string;
  readonly pid: number | undefined;
  isRunning(): boolean;
  /** Asks tcpdump to flush and exit, and resolves with its own counters. */
  stop(): Promise<CaptureResult>;
  /** Resolves whenever tcpdump ends, including on its own at the size cap. */
  readonly ended: Promise<CaptureResult>;
}

/** Packet capture on one host; the agent's only way to run tcpdump. */
export interface CaptureRepository {
  /** Resolves once tcpdump listens, so no packet after this point is missed. */
  start(options: TcpdumpOptions): Promise<CaptureHandle>;
}

export class CaptureStartError extends Error {
  override readonly name = 'CaptureStartError';
}

export interface TcpdumpCaptureTimings {
  startTimeoutMs: number;
  /** How long tcpdump may take to flush after SIGINT before it is killed. */
  stopGraceMs: number;
}

const DEFAULT_TIMINGS: TcpdumpCaptureTimings = { startTimeoutMs: 5_000, stopGraceMs: 5_000 };

export class TcpdumpCaptureRepository implements CaptureRepository {
  constructor(
    private readonly runner: ProcessRunner,
    private readonly timings: TcpdumpCaptureTimings = DEFAULT_TIMINGS,
    private readonly tcpdumpPath = 'tcpdump',
  ) {}

  async start(options: TcpdumpOptions): Promise<CaptureHandle> {
    const process = this.runner.start(this.tcpdumpPath, buildTcpdumpArgs(options));
    await this.waitUntilListening(process);
    return new TcpdumpCapture(options.file, process, this.timings.stopGraceMs);
  }

  private waitUntilListening(process: RunningProcess): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (err?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      const timer = setTimeout(() => {
        process.kill('SIGKILL');
        settle(new CaptureStartError(`tcpdump did not start listening within ${this.timings.startTimeoutMs} ms`));
      }, this.timings.startTimeoutMs);
      process.onOutput(() => {
        if (TCPDUMP_LISTENING.test(process.output().stderr)) settle();
      });
      if (TCPDUMP_LISTENING.test(process.output().stderr)) settle();
      void process.exited.then((result) => settle(new CaptureStartError(tcpdumpErrorReason(result.stderr))));
    });
  }
}

class TcpdumpCapture implements CaptureHandle {
  readonly ended: Promise<CaptureResult>;
  private stopRequested = false;

  constructor(
    readonly file: string,
    private readonly process: RunningProcess,
    private readonly stopGraceMs: number,
  ) {
    this.ended = process.exited.then((result) => this.toResult(result));
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  isRunning(): boolean {
    return !this.process.hasExited();
  }

  async stop(): Promise<CaptureResult> {
    if (this.isRunning()) {
      this.stopRequested = true;
      // SIGINT, not SIGTERM: both flush, but SIGINT is what tcpdump documents for printing the counters.
      this.process.kill('SIGINT');
      const timer = setTimeout(() => this.process.kill('SIGKILL'), this.stopGraceMs);
      try {
        await this.process.exited;
      } finally {
        clearTimeout(timer);
      }
    }
    return this.ended;
  }

  private toResult(result: ProcessResult): CaptureResult {
    const stats = parseTcpdumpStats(result.stderr);
    const cleanExit = result.exitCode === 0 || result.signal === 'SIGINT' || result.signal === 'SIGTERM';
    let endedBy: CaptureEnd = 'failed';
    if (cleanExit) endedBy = this.stopRequested ? 'stopped' : 'packet-limit';
    return {
      endedBy,
      stats,
      exitCode: result.exitCode,
      signal: result.signal,
      message: endedBy === 'failed' ? tcpdumpErrorReason(result.stderr) : '',
    };
  }
}
