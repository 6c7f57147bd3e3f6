// A switchover's processes start when it is armed, each one waiting on stdin for its script, so firing
// is a few pipe writes: no process start (50–300 ms each on a loaded host) sits between the guest's pause
// and the network following it. What cannot wait on stdin runs as before.
import type { FiredBatch } from '../../protocol';
import type { ProcessResult, ProcessRunner, RunningProcess } from '../../../common/process/process-runner';
import { failedLines, type CommandBatch } from './command-batches';

/** sh waits for one line `go` and only then becomes the command: anything else, or EOF, runs nothing. */
const WAIT_FOR_GO = ['sh', '-c', 'read -r line && [ "$line" = go ] && exec "$@"', 'announce'];

/** Identifies a named network namespace's current instance (its /run/netns inode), or undefined if absent. */
export type NetnsIdentity = (name: string) => string | undefined;

interface PrimedBatch {
  batch: CommandBatch;
  process?: RunningProcess;
  /** The namespace the process entered at start, and its identity then. */
  netns?: { name: string; identity: string | undefined };
}

/** The namespace a batch's process enters before reading its script (`ip -n NS`, `ip netns exec NS`). */
export function batchNetns(argv: readonly string[]): string | undefined {
  if (argv[0] !== 'ip') return undefined;
  if (argv[1] === '-n') return argv[2];
  if (argv[1] === 'netns' && argv[2] === 'exec') return argv[3];
  return undefined;
}

export class PrimedSwitchover {
  private constructor(
    private readonly runner: ProcessRunner,
    private readonly batches: PrimedBatch[],
    private readonly announcements: Array<{ argv: string[]; process: RunningProcess }>,
  ) {}

  static prime(runner: ProcessRunner, batches: readonly CommandBatch[], announcements: readonly string[][], netnsIdentity: NetnsIdentity) {
    const primed = batches.map((batch): PrimedBatch => {
      if (batch.input === undefined) return { batch };
      const [command, ...args] = batch.argv;
      const name = batchNetns(batch.argv);
      // A namespace the delta itself creates does not exist yet: that batch starts at fire time.
      const identity = name === undefined ? undefined : netnsIdentity(name);
      if (name !== undefined && identity === undefined) return { batch };
      return {
        batch,
        process: runner.start(command ?? '', args, { openInput: true }),
        ...(name === undefined ? {} : { netns: { name, identity } }),
      };
    });
    const waiting = announcements.map((argv) => {
      const [command, ...args] = [...WAIT_FOR_GO, ...argv];
      return { argv, process: runner.start(command ?? '', args, { openInput: true }) };
    });
    return new PrimedSwitchover(runner, primed, waiting);
  }

  /** How many processes wait for their script. */
  get primedCount(): number {
    return this.batches.filter((b) => b.process).length + this.announcements.length;
  }

  /** Runs the batches in order; times are offsets from `arrivedMs` (Date.now() when the fire arrived). */
  async fire(arrivedMs: number, timeoutMs: number, netnsIdentity: NetnsIdentity): Promise<FiredBatch[]> {
    const fired: FiredBatch[] = [];
    for (const step of this.batches) {
      const startedAtMs = Date.now() - arrivedMs;
      const usable =
        step.process !== undefined &&
        !step.process.hasExited() &&
        (step.netns === undefined || netnsIdentity(step.netns.name) === step.netns.identity);
      let result: ProcessResult;
      if (usable && step.process) {
        step.process.finishInput(step.batch.input ?? '');
        result = await withTimeout(step.process, timeoutMs);
      } else {
        step.process?.kill('SIGKILL');
        const [command, ...args] = step.batch.argv;
        result = await this.runner.run(command ?? '', args, {
          timeoutMs,
          ...(step.batch.input === undefined ? {} : { input: step.batch.input }),
        });
      }
      fired.push(firedBatch(step.batch, result, startedAtMs, Date.now() - arrivedMs - startedAtMs, usable));
    }
    return fired;
  }

  /** Lets the gratuitous ARPs go; they are not waited for. One whose waiting shell died starts afresh. */
  announce(): void {
    for (const a of this.announcements) {
      if (a.process.hasExited()) {
        const [command, ...args] = a.argv;
        void this.runner.start(command ?? '', args).exited;
      } else a.process.finishInput('go\n');
    }
  }

  /** Disarmed or expired: nothing primed may ever run. */
  cancel(): void {
    for (const b of this.batches) b.process?.kill('SIGKILL');
    for (const a of this.announcements) a.process.kill('SIGKILL');
  }
}

function withTimeout(process: RunningProcess, timeoutMs: number): Promise<ProcessResult> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<ProcessResult>((done) => {
    timer = setTimeout(() => {
      process.kill('SIGKILL');
      done({ exitCode: undefined, signal: 'SIGKILL', stdout: '', stderr: `timed out after ${timeoutMs} ms`, timedOut: true });
    }, timeoutMs);
  });
  return Promise.race([process.exited, expired]).finally(() => clearTimeout(timer));
}

function firedBatch(batch: CommandBatch, result: ProcessResult, startedAtMs: number, durationMs: number, primed: boolean): FiredBatch {
  const ok = result.exitCode === 0;
  const failed = ok ? [] : failedLines(batch, result.stderr);
  const detail = (result.stderr || result.stdout).trim().slice(0, 300) || `exit ${result.exitCode ?? result.signal ?? '?'}`;
  return {
    command: batch.argv.join(' '),
    lines: batch.commands.length,
    ok,
    startedAtMs,
    durationMs,
    primed,
    ...(ok ? {} : { error: `${failed.map((c) => c.join(' ')).join('; ')}: ${detail}` }),
  };
}
