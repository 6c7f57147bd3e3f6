// Convergence policy knobs, named after Nova/KubeVirt settings with their units in the name.

export type TimeoutAction = 'abort' | 'force-complete';

/** fixed: the named policy's flags as they are; auto: chooseStrategy() picks from the prediction before the start. */
export type StrategyMode = 'fixed' | 'auto';

/** What the stall detector does, in the policy's order; a step the run cannot take is skipped. */
export type StallEscalation = 'raise-downtime' | 'post-copy' | 'pause' | 'abort';
export const STALL_ESCALATIONS: readonly StallEscalation[] = ['raise-downtime', 'post-copy', 'pause', 'abort'];

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
  /** QEMU's auto-converge, switched on at the start (libvirt cannot switch it on mid-job). */
  readonly allowAutoConverge: boolean;
  /** Kept for stored records and requests; QEMU raises its own throttle, so nothing acts on it mid-job. */
  readonly autoConvergeStallSec: number;
  readonly autoConvergeInitialPct: number;
  readonly autoConvergeIncrementPct: number;
  /** The highest throttle the auto strategy accepts to choose auto-converge over post-copy. */
  readonly autoConvergeMaxPct: number;
  /** 0 means unlimited (KubeVirt bandwidthPerMigration). */
  readonly bandwidthMiBps: number;
  readonly strategy: StrategyMode;
  /** Parallel connections (multifd) for a fixed strategy; 1 is a single stream. The auto strategy goes up to maxMultifdChannels. */
  readonly multifdChannels: number;
  readonly maxMultifdChannels: number;
  /** The stall window: remaining data not falling by stallMinDropPct over this long escalates at once. 0 disables. */
  readonly stallWindowSec: number;
  readonly stallMinDropPct: number;
  readonly stallEscalation: readonly StallEscalation[];
}
