import { downtimeSteps, type DowntimeStep } from './downtime-steps';
import type { ConvergencePolicy } from './policy';
import type { FirstPassVerdict } from './first-pass';
import type { StallMark } from './stall';
import type { CopyStrategy } from './strategy';
import { completionTimeoutSec, type ProgressMark } from './timeouts';

/** Everything decide() remembers between polls; plain data so it can be logged or persisted. */
export interface ConvergenceState {
  readonly dataGiB: number;
  readonly steps: readonly DowntimeStep[];
  readonly completionTimeoutSec: number;
  readonly currentMaxDowntimeMs: number | null;
  readonly progress: ProgressMark | null;
  readonly bandwidthApplied: boolean;
  /** Set once force-complete or a stall raised the downtime: the step schedule must not lower it again. */
  readonly downtimeForced: boolean;
  readonly timeoutActionTaken: boolean;
  /** The migrate call carried VIR_MIGRATE_POSTCOPY: a switch is possible. */
  readonly postCopyEnabled: boolean;
  readonly postCopyAfterFirstPass: boolean;
  readonly postCopyRequested: boolean;
  readonly guestPaused: boolean;
  readonly aborted: boolean;
  readonly memoryIteration: number;
  readonly iterationStartRemainingBytes: number | null;
  readonly stall: StallMark | null;
  /** How far along the policy's stallEscalation order the run is. */
  readonly escalationsTaken: number;
  /** The strategy asked for the end of the first pass to check its choice on QEMU's measured figures. */
  readonly refineAfterFirstPass: boolean;
  /** The dirty rate measured before the copy: QEMU's own figure over a long pass counts each page once, so it is a floor. */
  readonly dirtyRateFloorBytesPerSec: number;
  readonly firstPass: FirstPassVerdict | null;
}

export type StartChoice = Pick<CopyStrategy, 'postCopyEnabled' | 'postCopyAfterFirstPass' | 'refineAfterFirstPass'> & {
  readonly dirtyRateBytesPerSec?: number;
};

/** Steps and completion timeout are fixed at start from the data size, as Nova does; the start choice from the strategy. */
export function initialConvergenceState(policy: ConvergencePolicy, dataGiB: number, start?: StartChoice): ConvergenceState {
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
    postCopyEnabled: start?.postCopyEnabled ?? policy.allowPostCopy,
    postCopyAfterFirstPass: start?.postCopyAfterFirstPass ?? false,
    postCopyRequested: false,
    guestPaused: false,
    aborted: false,
    memoryIteration: 0,
    iterationStartRemainingBytes: null,
    stall: null,
    escalationsTaken: 0,
    refineAfterFirstPass: start?.refineAfterFirstPass ?? false,
    dirtyRateFloorBytesPerSec: start?.dirtyRateBytesPerSec ?? 0,
    firstPass: null,
  };
}
