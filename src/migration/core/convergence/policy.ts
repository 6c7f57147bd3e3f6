// Convergence policy knobs, named after Nova/KubeVirt settings with their units in the name.

export type TimeoutAction = 'abort' | 'force-complete';

export interface ConvergencePolicy {
  readonly maxDowntimeMs: number;
  readonly downtimeSteps: number;
  readonly downtimeDelaySecPerGiB: number;
  /** 0 disables. */
  readonly completionTimeoutSecPerGiB: number;
  /** 0 disables. */
  readonly progressTimeoutSec: number;
  readonly timeoutAction: TimeoutAction;
  readonly allowPostCopy: boolean;
  /** Switch to post-copy when a pre-copy round removes less than minProgressPerIterationPct (oVirt "post-copy"). */
  readonly postCopyOnSlowProgress: boolean;
  readonly minProgressPerIterationPct: number;
  /** Max downtime used by force-complete when post-copy is not allowed; null pauses the guest as Nova does. */
  readonly forceCompleteMaxDowntimeMs: number | null;
  readonly allowAutoConverge: boolean;
  /** Without progress for this long, enable auto-converge or raise its throttle one increment. */
  readonly autoConvergeStallSec: number;
  readonly autoConvergeInitialPct: number;
  readonly autoConvergeIncrementPct: number;
  readonly autoConvergeMaxPct: number;
  /** 0 means unlimited (KubeVirt bandwidthPerMigration). */
  readonly bandwidthMiBps: number;
}
