import { execa } from 'execa';
import {
  appendCapped,
  type OutputStream,
  type ProcessResult,
  type ProcessRunner,
  type RunOptions,
  type RunningProcess,
  type StartOptions,
} from './process-runner';

export class ExecaProcessRunner implements ProcessRunner {
  async run(command: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
    const result = await execa(command, args, {
      reject: false,
      ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
      timeout: options.timeoutMs,
      cwd: options.cwd,
      env: options.env,
      stripFinalNewline: false,
    });
    return {
      exitCode: result.exitCode,
      signal: result.signal,
      stdout: String(result.stdout ?? ''),
      stderr: String(result.stderr ?? ''),
      timedOut: result.timedOut,
    };
  }

  start(command: string, args: readonly string[], options: StartOptions = {}): RunningProcess {
    const child = execa(command, args, {
      reject: false,
      stdin: options.openInput ? 'pipe' : 'ignore',
      buffer: false,
      cwd: options.cwd,
      env: options.env,
      // A spawn failure (ENOENT) must surface through `exited`, not as an unhandled error.
      cleanup: true,
    });
    const out = { stdout: '', stderr: '' };
    const listeners: Array<(stream: OutputStream, text: string) => void> = [];
    let done = false;
    const collect = (stream: OutputStream) => (chunk: Buffer | string) => {
      const text = chunk.toString();
      out[stream] = appendCapped(out[stream], text);
      for (const listener of listeners) listener(stream, text);
    };
    child.stdout?.on('data', collect('stdout'));
    child.stderr?.on('data', collect('stderr'));
    // A child that exits before its script arrives must not turn the late write into an uncaught EPIPE.
    child.stdin?.on('error', () => undefined);
    const exited: Promise<ProcessResult> = child.then(
      (result) => {
        done = true;
        const spawnError = result.failed && result.exitCode === undefined && !result.signal ? `${result.shortMessage}\n` : '';
        return {
          exitCode: result.exitCode,
          signal: result.signal,
          stdout: out.stdout,
          stderr: out.stderr + spawnError,
          timedOut: result.timedOut,
        };
      },
      (err: unknown) => {
        done = true;
        return { exitCode: undefined, signal: undefined, stdout: out.stdout, stderr: `${out.stderr}${String(err)}\n`, timedOut: false };
      },
    );
    return {
      pid: child.pid,
      command,
      args: [...args],
      output: () => ({ ...out }),
      onOutput: (listener) => listeners.push(listener),
      exited,
      hasExited: () => done,
      kill: (signal) => {
        if (!done) child.kill(signal);
      },
      finishInput: (text) => {
        if (done || !child.stdin || child.stdin.writableEnded) return;
        child.stdin.end(text);
      },
    };
  }
}
