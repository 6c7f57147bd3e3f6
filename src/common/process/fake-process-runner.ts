import {
  appendCapped,
  type OutputStream,
  type ProcessResult,
  type ProcessRunner,
  type RunOptions,
  type RunningProcess,
  type StartOptions,
} from './process-runner';

// A scriptable ProcessRunner for unit tests: records every command line and lets
// the test decide what each process prints and when it exits.

export interface RecordedCall {
  kind: 'run' | 'start';
  command: string;
  args: string[];
  /** What run() wrote to stdin, if anything. */
  input?: string;
  /** start() kept stdin open for a script to come. */
  openInput?: boolean;
}

type RunHandler = (command: string, args: readonly string[]) => Partial<ProcessResult> | undefined;
type StartHandler = (process: FakeRunningProcess) => void;

export class FakeRunningProcess implements RunningProcess {
  private static nextPid = 40_000;
  readonly pid = FakeRunningProcess.nextPid++;
  readonly exited: Promise<ProcessResult>;
  readonly signals: NodeJS.Signals[] = [];
  /** What happens on kill; by default the process exits on the signal. */
  onKill: (signal: NodeJS.Signals) => void = (signal) => this.exit({ signal });
  private resolveExit!: (result: ProcessResult) => void;
  private done = false;
  private readonly out = { stdout: '', stderr: '' };
  private readonly listeners: Array<(stream: OutputStream, text: string) => void> = [];
  /** What finishInput() wrote, once it has been called. */
  input: string | undefined;
  /** Called when the script arrives; by default the process exits 0 then. */
  onInput: (text: string) => void = () => this.exit();

  constructor(
    readonly command: string,
    readonly args: readonly string[],
  ) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  output(): { stdout: string; stderr: string } {
    return { ...this.out };
  }

  onOutput(listener: (stream: OutputStream, text: string) => void): void {
    this.listeners.push(listener);
  }

  hasExited(): boolean {
    return this.done;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.done) return;
    this.signals.push(signal);
    this.onKill(signal);
  }

  finishInput(text: string): void {
    if (this.done || this.input !== undefined) return;
    this.input = text;
    this.onInput(text);
  }

  emit(stream: OutputStream, text: string): void {
    this.out[stream] = appendCapped(this.out[stream], text);
    for (const listener of this.listeners) listener(stream, text);
  }

  exit(result: Partial<ProcessResult> = {}): void {
    if (this.done) return;
    this.done = true;
    this.resolveExit({
      exitCode: result.signal ? undefined : (result.exitCode ?? 0),
      signal: result.signal,
      stdout: this.out.stdout + (result.stdout ?? ''),
      stderr: this.out.stderr + (result.stderr ?? ''),
      timedOut: result.timedOut ?? false,
    });
  }
}

export class FakeProcessRunner implements ProcessRunner {
  readonly calls: RecordedCall[] = [];
  readonly started: FakeRunningProcess[] = [];
  private readonly runHandlers: RunHandler[] = [];
  private readonly startHandlers = new Map<string, StartHandler>();

  /** The first handler that returns a result answers a run(); otherwise exit 0 with no output. */
  whenRun(handler: RunHandler): this {
    this.runHandlers.push(handler);
    return this;
  }

  /** Scripts every process started with this executable name. */
  whenStarted(command: string, handler: StartHandler): this {
    this.startHandlers.set(command, handler);
    return this;
  }

  async run(command: string, args: readonly string[], options?: RunOptions): Promise<ProcessResult> {
    this.calls.push({ kind: 'run', command, args: [...args], ...(options?.input === undefined ? {} : { input: options.input }) });
    for (const handler of this.runHandlers) {
      const result = handler(command, args);
      if (result) return { exitCode: 0, signal: undefined, stdout: '', stderr: '', timedOut: false, ...result };
    }
    return { exitCode: 0, signal: undefined, stdout: '', stderr: '', timedOut: false };
  }

  start(command: string, args: readonly string[], options?: StartOptions): FakeRunningProcess {
    this.calls.push({ kind: 'start', command, args: [...args], ...(options?.openInput ? { openInput: true } : {}) });
    const process = new FakeRunningProcess(command, args);
    this.started.push(process);
    this.startHandlers.get(command)?.(process);
    return process;
  }

  lastStarted(command: string): FakeRunningProcess | undefined {
    return [...this.started].reverse().find((p) => p.command === command);
  }
}
