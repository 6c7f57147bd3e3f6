import { downtimeSteps, type DowntimeStep } from './downtime-steps';
import type { ConvergencePolicy } from './policy';
import { completionTimeoutSec, type ProgressMark } from './timeouts';

/** Everything decide() remembers between polls; plain data so it can be logged or persisted. */
export interface ConvergenceState {
  readonly dataGiB: number;
  readonly steps: readonly DowntimeStep[];
  readonly completionTimeoutSec: number;
  readonly currentMaxDowntimeMs: number | null;
  readonly progress: ProgressMark | null;
  readonly bandwidthApplied: boolean;
  /** Set once force-complete raised the downtime: the step schedule must not lower it again. */
  readonly downtimeForced: boolean;
  readonly timeoutActionTaken: boolean;
  readonly postCopyRequested: boolean;
  readonly aborted: boolean;
  readonly autoConvergeThrottlePct: number | null;
  readonly lastThrottleChangeAtSec: number | null;
  readonly memoryIteration: number;
  readonly iterationStartRemainingBytes: number | null;
}

/** Steps and completion timeout are fixed at start from the data size, as Nova does. */
export function initialConvergenceState(policy: ConvergencePolicy, dataGiB: number): ConvergenceState {
  return {
    dataGiB,
    steps: downtimeSteps(
      { maxDowntimeMs: policy.maxDowntimeMs, steps: policy.downtimeSteps, delaySecPerGiB: policy.downtimeDelaySecPerGiB },
      dataGiB,
    ),
    completionTimeoutSec: completionTimeoutSec(policy.completionTimeoutSecPerGiB, dataGiB),
    currentMaxDowntimeMs: null,
    progress: null,
    bandwidthApplied: false,
    downtimeForced: false,
    timeoutActionTaken: false,
    postCopyRequested: false,
    aborted: false,
    autoConvergeThrottlePct: null,
    lastThrottleChangeAtSec: null,
    memoryIteration: 0,
    iterationStartRemainingBytes: null,
  };
}
