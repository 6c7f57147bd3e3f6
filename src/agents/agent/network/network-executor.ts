import type { NetworkDrift } from '../../protocol';
import type { ProcessRunner } from '../../../common/process/process-runner';
import type { NetworkPlan } from './network-plan';

const TIMEOUT_MS = 15_000;

export interface ExecutionResult {
  drift: NetworkDrift[];
  /** Each command run, joined by spaces, in order. */
  commands: string[];
}

/**
 * Runs the plan's changes in order. A failing command stops its own change
 * (later commands of a change build on earlier ones) and marks its drift
 * unrepaired; the other changes still run.
 */
export async function executePlan(runner: ProcessRunner, plan: NetworkPlan): Promise<ExecutionResult> {
  const commands: string[] = [];
  const drift: NetworkDrift[] = [];
  for (const change of plan.changes) {
    const record = change.drift ? { ...change.drift } : null;
    if (change.detached) {
      for (const argv of change.commands) startDetached(runner, argv);
      commands.push(...change.commands.map((argv) => argv.join(' ')));
      continue;
    }
    for (const argv of change.commands) {
      const [command, ...args] = argv;
      commands.push(argv.join(' '));
      const result = await runner.run(command ?? '', args, { timeoutMs: TIMEOUT_MS });
      if (result.exitCode === 0 || change.bestEffort || alreadyGone(argv, result.stderr)) continue;
      if (record) {
        record.repaired = false;
        record.error = `${argv.join(' ')}: ${(result.stderr || result.stdout).trim().slice(0, 300) || `exit ${result.exitCode ?? result.signal ?? '?'}`}`;
      }
      break;
    }
    if (record) drift.push(record);
  }
  return { drift, commands };
}

/** Runs a best-effort command without waiting for it; it ends by itself (arping's count). */
export function startDetached(runner: ProcessRunner, argv: readonly string[]): void {
  const [command, ...args] = argv;
  void runner.start(command ?? '', args).exited;
}

/**
 * A deletion whose object vanished meanwhile has reached its goal: the kernel
 * tears down a deleted namespace's veth peers asynchronously, so a tap seen by
 * the observer may be gone a moment later.
 */
export function alreadyGone(argv: readonly string[], stderr: string): boolean {
  const deleting = argv.includes('del') || argv.includes('delete');
  return (
    deleting &&
    /Cannot find device|No such file or directory|Invalid argument/.test(stderr) &&
    (argv.includes('link') || argv.includes('netns'))
  );
}

/** Drift still found after the apply turns the matching record into a failure. */
export function confirmDrift(applied: NetworkDrift[], remaining: NetworkDrift[]): NetworkDrift[] {
  const out = applied.map((d) => ({ ...d }));
  for (const left of remaining) {
    const match = out.find((d) => d.kind === left.kind && d.subject === left.subject);
    if (match) {
      if (match.repaired) {
        match.repaired = false;
        match.error = match.error ?? 'still differs after the apply';
      }
    } else {
      out.push({ ...left, repaired: false, error: left.error ?? 'found when checking the apply' });
    }
  }
  return out;
}
