// One call per monitor poll: plain values in, typed actions and the next state out. The loop does the I/O.
import type { ConvergenceAction } from './actions';
import { updateDowntime } from './downtime-steps';
import { firstPassVerdict } from './first-pass';
import type { ConvergencePolicy } from './policy';
import { nextEscalation, restartStallWindow, trackStall } from './stall';
import type { ConvergenceState } from './state';
import { progressTimedOut, shouldTriggerTimeoutAction, trackProgress, type MigrationRunMode } from './timeouts';

export interface ConvergenceSample {
  readonly elapsedSec: number;
  readonly dataRemainingBytes: number;
  /** libvirt's memory iteration counter (pre-copy round), when the hypervisor reports it. */
  readonly memoryIteration?: number;
  /** QEMU's dirty rate and throughput of the running job, when it reports them. */
  readonly dirtyRateBytesPerSec?: number;
  readonly bandwidthBytesPerSec?: number;
  readonly mode: MigrationRunMode;
}

export interface ConvergenceDecision {
  readonly actions: readonly ConvergenceAction[];
  readonly state: ConvergenceState;
}

function forceComplete(policy: ConvergencePolicy, state: ConvergenceState): ConvergenceDecision {
  const taken = { ...state, timeoutActionTaken: true };
  if (state.postCopyEnabled) {
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
  if (state.guestPaused) return { actions: [], state: taken };
  return { actions: [{ type: 'pause-guest', reason: 'force-complete' }], state: { ...taken, guestPaused: true } };
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

/** The raised downtime a stall or force-complete may use. */
function raisedDowntimeMs(policy: ConvergencePolicy): number {
  return policy.forceCompleteMaxDowntimeMs ?? policy.maxDowntimeMs;
}

/** A stalled window escalates at once, one step of the policy's order per stall. */
function escalateOnStall(policy: ConvergencePolicy, state: ConvergenceState, sample: ConvergenceSample): ConvergenceDecision | null {
  if (policy.stallWindowSec <= 0) return null;
  const settings = { windowSec: policy.stallWindowSec, minDropPct: policy.stallMinDropPct };
  const reading = trackStall(state.stall, sample.dataRemainingBytes, sample.elapsedSec, settings);
  const tracked = { ...state, stall: reading.mark };
  if (!reading.stalled) return { actions: [], state: tracked };
  const raised = raisedDowntimeMs(policy);
  const next = nextEscalation(policy.stallEscalation, state.escalationsTaken, {
    postCopy: state.postCopyEnabled,
    raiseDowntime: state.currentMaxDowntimeMs === null || raised > state.currentMaxDowntimeMs,
    pause: !state.guestPaused,
  });
  const restarted = { ...tracked, stall: restartStallWindow(reading.mark, sample.dataRemainingBytes, sample.elapsedSec) };
  if (next === null) return { actions: [], state: restarted };
  const after = { ...restarted, escalationsTaken: next.index + 1 };
  switch (next.step) {
    case 'post-copy':
      return { actions: [{ type: 'start-post-copy', reason: 'stall' }], state: { ...after, postCopyRequested: true } };
    case 'raise-downtime':
      return {
        actions: [{ type: 'set-max-downtime', downtimeMs: raised, reason: 'stall' }],
        state: { ...after, currentMaxDowntimeMs: raised, downtimeForced: true },
      };
    case 'pause':
      return { actions: [{ type: 'pause-guest', reason: 'stall' }], state: { ...after, guestPaused: true } };
    case 'abort':
      return { actions: [{ type: 'abort', reason: 'stall' }], state: { ...after, aborted: true } };
  }
}

/** The strategy chose post-copy after the first full pass: libvirt's iteration counter has moved past 1. */
function firstPassDone(state: ConvergenceState, sample: ConvergenceSample): boolean {
  return state.postCopyAfterFirstPass && state.postCopyEnabled && sample.memoryIteration !== undefined && sample.memoryIteration >= 2;
}

const GiB = 2 ** 30;

/**
 * The first pass is over (libvirt's iteration counter moved past 1): the model runs again from here on QEMU's
 * measured throughput and the higher of the two dirty rates; pre-copy that cannot finish switches to post-copy now
 * rather than after a stall window.
 */
function refineOnFirstPass(policy: ConvergencePolicy, state: ConvergenceState, sample: ConvergenceSample): ConvergenceDecision | null {
  if (!state.refineAfterFirstPass || sample.memoryIteration === undefined || sample.memoryIteration < 2) return null;
  if (sample.bandwidthBytesPerSec === undefined || sample.dirtyRateBytesPerSec === undefined) return null;
  const verdict = firstPassVerdict({
    remainingBytes: sample.dataRemainingBytes,
    dirtyRateBytesPerSec: Math.max(sample.dirtyRateBytesPerSec, state.dirtyRateFloorBytesPerSec),
    bandwidthBytesPerSec: sample.bandwidthBytesPerSec,
    ramBytes: state.dataGiB * GiB,
    maxDowntimeMs: Math.max(policy.maxDowntimeMs, state.currentMaxDowntimeMs ?? 0),
  });
  const done = { ...state, refineAfterFirstPass: false, firstPass: verdict };
  if (verdict === null || verdict.converges || !state.postCopyEnabled) return { actions: [], state: done };
  return { actions: [{ type: 'start-post-copy', reason: 'first-pass-verdict' }], state: { ...done, postCopyRequested: true } };
}

/**
 * Order of precedence per poll: terminal states, progress timeout (KubeVirt aborts), completion timeout
 * action, post-copy after the first pass (the strategy's choice), the first pass's verdict, post-copy on slow
 * rounds, stall escalation, downtime steps. A timeout, post-copy or stall action ends the poll.
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
  if (firstPassDone(state, sample)) {
    actions.push({ type: 'start-post-copy', reason: 'after-first-pass' });
    return { actions, state: withIteration({ ...state, postCopyRequested: true }, sample) };
  }
  const refined = refineOnFirstPass(policy, state, sample);
  if (refined) {
    state = refined.state;
    if (refined.actions.length > 0) return { actions: [...actions, ...refined.actions], state: withIteration(state, sample) };
  }
  if (state.postCopyEnabled && policy.postCopyOnSlowProgress && slowRound(policy, state, sample)) {
    actions.push({ type: 'start-post-copy', reason: 'slow-progress' });
    return { actions, state: withIteration({ ...state, postCopyRequested: true }, sample) };
  }
  state = withIteration(state, sample);
  const escalation = escalateOnStall(policy, state, sample);
  if (escalation) {
    state = escalation.state;
    if (escalation.actions.length > 0) return { actions: [...actions, ...escalation.actions], state };
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
