import { execa } from 'execa';
import { assertName, checkNetnsName } from '../src/common/names';

// The lab's only way to run programs: argument arrays, never shell strings.

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  timeoutMs?: number;
  input?: string;
  cwd?: string;
  /** Return the result instead of throwing on a non-zero exit. */
  allowFailure?: boolean;
}

export class LabCommandError extends Error {
  override readonly name = 'LabCommandError';
  constructor(
    readonly argv: readonly string[],
    readonly result: ExecResult,
  ) {
    super(`${argv.join(' ')} exited with ${result.exitCode}: ${(result.stderr || result.stdout).trim().slice(-600)}`);
  }
}

export async function run(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const [command, ...args] = argv;
  if (command === undefined) throw new Error('empty command');
  const result = await execa(command, args, {
    reject: false,
    timeout: options.timeoutMs ?? 60_000,
    input: options.input,
    cwd: options.cwd,
    stdin: options.input === undefined ? 'ignore' : undefined,
  });
  const out: ExecResult = {
    exitCode: result.exitCode ?? (result.timedOut ? 124 : 1),
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? '') + (result.exitCode === undefined ? `\n${result.shortMessage}` : ''),
  };
  if (out.exitCode !== 0 && !options.allowFailure) throw new LabCommandError(argv, out);
  return out;
}

/** Runs argv inside a network namespace (root mount namespace, so lab paths are the real ones). */
export function execIn(netns: string, argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  assertName(checkNetnsName, netns);
  return run(['ip', 'netns', 'exec', netns, ...argv], options);
}

export async function listNetns(): Promise<string[]> {
  const { stdout } = await run(['ip', '-o', 'netns', 'list']);
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name.length > 0);
}

/** PIDs of every process whose network namespace is `netns`. */
export async function netnsPids(netns: string): Promise<number[]> {
  assertName(checkNetnsName, netns);
  const { stdout } = await run(['ip', 'netns', 'pids', netns], { allowFailure: true });
  return stdout
    .split('\n')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value other than undefined, or throws after timeoutMs. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await sleep(intervalMs);
  }
}
