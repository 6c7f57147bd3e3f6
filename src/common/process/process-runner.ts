// The one seam through which livemig runs external programs (tcpdump, ping, ip).
// Commands are always an executable plus an argument array, never a shell string.

export interface ProcessResult {
  exitCode: number | undefined;
  /** Set when the process ended on a signal (e.g. SIGINT after stop). */
  signal: string | undefined;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface RunOptions {
  timeoutMs?: number;
  cwd?: string;
  env?: Record<string, string>;
  /** Written to the child's stdin (e.g. an `ip -batch -` script); stdin is closed otherwise. */
  input?: string;
}

export interface StartOptions extends Omit<RunOptions, 'timeoutMs' | 'input'> {
  /** Keeps stdin open for finishInput(): a process started ahead of time that acts when its script arrives. */
  openInput?: boolean;
}

export type OutputStream = 'stdout' | 'stderr';

/** A long-running child (tcpdump, ping) that the caller stops with a signal. */
export interface RunningProcess {
  readonly pid: number | undefined;
  readonly command: string;
  readonly args: readonly string[];
  /** Output so far; each stream is capped so a chatty process cannot exhaust memory. */
  output(): { stdout: string; stderr: string };
  onOutput(listener: (stream: OutputStream, text: string) => void): void;
  /** Resolves when the process has exited, whatever the reason. Never rejects. */
  readonly exited: Promise<ProcessResult>;
  hasExited(): boolean;
  kill(signal: NodeJS.Signals): void;
  /** Writes the script and closes stdin (started with openInput); a no-op otherwise or once exited. */
  finishInput(text: string): void;
}

export interface ProcessRunner {
  /** Runs to completion; a non-zero exit is reported in the result, not thrown. */
  run(command: string, args: readonly string[], options?: RunOptions): Promise<ProcessResult>;
  start(command: string, args: readonly string[], options?: StartOptions): RunningProcess;
}

export const PROCESS_RUNNER = Symbol('ProcessRunner');

/** Keeps at most the last `maxChars` characters: the tail holds the summary lines. */
export const OUTPUT_CAP_CHARS = 64 * 1024;

export function appendCapped(previous: string, chunk: string, maxChars = OUTPUT_CAP_CHARS): string {
  const next = previous + chunk;
  return next.length > maxChars ? next.slice(next.length - maxChars) : next;
}
