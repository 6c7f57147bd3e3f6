// One call per monitor poll: plain values in, typed actions and the next state out. The loop does the I/O.
import type { ConvergenceAction } from './actions';
import { updateDowntime } from './downtime-steps';
import type { ConvergencePolicy } from './policy';
import type { ConvergenceState } from './state';
import { progressTimedOut, shouldTriggerTimeoutAction, trackProgress, type MigrationRunMode } from './timeouts';

export interface ConvergenceSample {
  readonly elapsedSec: number;
  readonly dataRemainingBytes: number;
  /** libvirt's memory iteration counter (pre-copy round), when the hypervisor reports it. */
  readonly memoryIteration?: number;
  readonly mode: MigrationRunMode;
}

export interface ConvergenceDecision {
  readonly actions: readonly ConvergenceAction[];
  readonly state: ConvergenceState;
}

function forceComplete(policy: ConvergencePolicy, state: ConvergenceState): ConvergenceDecision {
  const taken = { ...state, timeoutActionTaken: true };
  if (policy.allowPostCopy) {
    return { actions: [{ type: 'start-post-copy', reason: 'force-complete' }], state: { ...taken, postCopyRequested: true } };
  }
  const capMs = policy.forceCompleteMaxDowntimeMs;
  if (capMs !== null && (state.currentMaxDowntimeMs === null || capMs > state.currentMaxDowntimeMs)) {
    return {
      actions: [{ type: 'set-max-downtime', downtimeMs: capMs, reason: 'force-complete' }],
      state: { ...taken, currentMaxDowntimeMs: capMs, downtimeForced: true },
    };
  }
  // Nova's force-complete without post-copy: pause so no page is dirtied and the copy finishes.
  return { actions: [{ type: 'pause-guest', reason: 'force-complete' }], state: taken };
}

/** Nova's should_switch_to_postcopy: after the first full pass, a round removing < N % of the remainder. */
function slowRound(policy: ConvergencePolicy, state: ConvergenceState, sample: ConvergenceSample): boolean {
  const iteration = sample.memoryIteration;
  if (iteration === undefined || iteration <= state.memoryIteration) return false;
  const previous = state.iterationStartRemainingBytes;
  if (iteration <= 1 || previous === null || previous <= 0) return false;
  const progressPct = Math.round(((previous - sample.dataRemainingBytes) * 100) / previous);
  return progressPct < policy.minProgressPerIterationPct;
}

function withIteration(state: ConvergenceState, sample: ConvergenceSample): ConvergenceState {
  const iteration = sample.memoryIteration;
  if (iteration === undefined || iteration <= state.memoryIteration) return state;
  return { ...state, memoryIteration: iteration, iterationStartRemainingBytes: sample.dataRemainingBytes };
}

function autoConverge(policy: ConvergencePolicy, state: ConvergenceState, elapsedSec: number): ConvergenceDecision | null {
  if (!policy.allowAutoConverge || state.progress === null) return null;
  const since = Math.max(state.progress.lastProgressAtSec, state.lastThrottleChangeAtSec ?? -Infinity);
  if (elapsedSec - since < policy.autoConvergeStallSec) return null;
  const current = state.autoConvergeThrottlePct;
  if (current === null) {
    return {
      actions: [
        {
          type: 'enable-auto-converge',
          throttleInitialPct: policy.autoConvergeInitialPct,
          throttleIncrementPct: policy.autoConvergeIncrementPct,
        },
      ],
      state: { ...state, autoConvergeThrottlePct: policy.autoConvergeInitialPct, lastThrottleChangeAtSec: elapsedSec },
    };
  }
  if (current >= policy.autoConvergeMaxPct) return null;
  const next = Math.min(current + policy.autoConvergeIncrementPct, policy.autoConvergeMaxPct);
  return {
    actions: [{ type: 'raise-cpu-throttle', throttlePct: next }],
    state: { ...state, autoConvergeThrottlePct: next, lastThrottleChangeAtSec: elapsedSec },
  };
}

/**
 * Order of precedence per poll: terminal states, progress timeout (KubeVirt aborts),
 * completion timeout action, post-copy on slow rounds, auto-converge escalation, downtime steps.
 * A timeout or post-copy action ends the poll; auto-converge and a downtime step may fire together.
 */
export function decide(policy: ConvergencePolicy, prev: ConvergenceState, sample: ConvergenceSample): ConvergenceDecision {
  if (prev.aborted) return { actions: [], state: prev };
  const actions: ConvergenceAction[] = [];
  let state: ConvergenceState = { ...prev, progress: trackProgress(prev.progress, sample.dataRemainingBytes, sample.elapsedSec) };

  if (!state.bandwidthApplied) {
    if (policy.bandwidthMiBps > 0) actions.push({ type: 'set-bandwidth', bandwidthMiBps: policy.bandwidthMiBps });
    state = { ...state, bandwidthApplied: true };
  }
  // Post-copy cannot be undone or aborted safely; the guest already runs on the destination.
  if (sample.mode === 'post-copy' || state.postCopyRequested) {
    return { actions, state: withIteration(state, sample) };
  }
  if (state.progress !== null && progressTimedOut(policy.progressTimeoutSec, state.progress, sample.elapsedSec)) {
    actions.push({ type: 'abort', reason: 'progress-timeout' });
    return { actions, state: { ...state, aborted: true } };
  }
  if (!state.timeoutActionTaken && shouldTriggerTimeoutAction(sample.elapsedSec, state.completionTimeoutSec, sample.mode)) {
    if (policy.timeoutAction === 'abort') {
      actions.push({ type: 'abort', reason: 'completion-timeout' });
      return { actions, state: { ...state, aborted: true, timeoutActionTaken: true } };
    }
    const forced = forceComplete(policy, state);
    return { actions: [...actions, ...forced.actions], state: withIteration(forced.state, sample) };
  }
  if (policy.allowPostCopy && policy.postCopyOnSlowProgress && slowRound(policy, state, sample)) {
    actions.push({ type: 'start-post-copy', reason: 'slow-progress' });
    return { actions, state: withIteration({ ...state, postCopyRequested: true }, sample) };
  }
  state = withIteration(state, sample);
  const escalation = autoConverge(policy, state, sample.elapsedSec);
  if (escalation) {
    actions.push(...escalation.actions);
    state = escalation.state;
  }
  if (!state.downtimeForced) {
    const next = updateDowntime(state.steps, sample.elapsedSec, state.currentMaxDowntimeMs);
    if (next !== null) {
      actions.push({ type: 'set-max-downtime', downtimeMs: next, reason: 'downtime-step' });
      state = { ...state, currentMaxDowntimeMs: next };
    }
  }
  return { actions, state };
}
