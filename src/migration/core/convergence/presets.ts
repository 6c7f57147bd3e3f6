import type { ConvergencePolicy } from './policy';

/** The fields added with the auto strategy; a named policy or a stored record without them keeps its fixed behaviour. */
export const FIXED_STRATEGY_FIELDS = {
  strategy: 'fixed',
  multifdChannels: 1,
  maxMultifdChannels: 4,
  stallWindowSec: 0,
  stallMinDropPct: 10,
  stallEscalation: [],
} as const satisfies Pick<
  ConvergencePolicy,
  'strategy' | 'multifdChannels' | 'maxMultifdChannels' | 'stallWindowSec' | 'stallMinDropPct' | 'stallEscalation'
>;

/** A stored policy (or one from before the auto strategy) with today's fields filled in. */
export function withPolicyDefaults(policy: ConvergencePolicy): ConvergencePolicy {
  return { ...FIXED_STRATEGY_FIELDS, ...policy };
}

// QEMU's cpu-throttle-initial / cpu-throttle-increment defaults; 99 is QEMU's upper bound.
const qemuAutoConverge = { autoConvergeInitialPct: 20, autoConvergeIncrementPct: 10, autoConvergeMaxPct: 99 } as const;

/** Nova [libvirt] defaults: 500 ms in 10 steps, 75 s/GiB delay, 800 s/GiB completion, abort. */
export const NOVA_DEFAULT: ConvergencePolicy = {
  maxDowntimeMs: 500,
  downtimeSteps: 10,
  downtimeDelaySecPerGiB: 75,
  completionTimeoutSecPerGiB: 800,
  progressTimeoutSec: 0,
  timeoutAction: 'abort',
  allowPostCopy: false,
  postCopyOnSlowProgress: false,
  minProgressPerIterationPct: 10,
  forceCompleteMaxDowntimeMs: null,
  allowAutoConverge: false,
  autoConvergeStallSec: 60,
  ...qemuAutoConverge,
  bandwidthMiBps: 0,
  ...FIXED_STRATEGY_FIELDS,
};

/**
 * KubeVirt migration config defaults (newer releases: 150 s/GiB, progressTimeout 150 s).
 * KubeVirt does not step the downtime, so one step at QEMU's 300 ms default applies at once.
 */
export const KUBEVIRT_DEFAULT: ConvergencePolicy = {
  ...NOVA_DEFAULT,
  maxDowntimeMs: 300,
  downtimeSteps: 1,
  downtimeDelaySecPerGiB: 0,
  completionTimeoutSecPerGiB: 150,
  progressTimeoutSec: 150,
};

/** oVirt "minimal downtime": raise the downtime up to 500 ms, abort when it will not converge. oVirt steps per stalled iteration; here the steps are by time. */
export const MINIMAL_DOWNTIME: ConvergencePolicy = {
  ...NOVA_DEFAULT,
  maxDowntimeMs: 500,
  downtimeSteps: 5,
  downtimeDelaySecPerGiB: 30,
  completionTimeoutSecPerGiB: 300,
  progressTimeoutSec: 150,
  timeoutAction: 'abort',
};

/** oVirt "suspend workload if needed": busy guests may take seconds of downtime rather than fail. */
export const SUSPEND_WORKLOAD_IF_NEEDED: ConvergencePolicy = {
  ...NOVA_DEFAULT,
  maxDowntimeMs: 2000,
  downtimeSteps: 5,
  downtimeDelaySecPerGiB: 30,
  completionTimeoutSecPerGiB: 300,
  timeoutAction: 'force-complete',
  forceCompleteMaxDowntimeMs: 5000,
  allowAutoConverge: true,
};

/** oVirt "post-copy": pre-copy first, post-copy when it stops making progress or times out. */
export const POST_COPY: ConvergencePolicy = {
  ...NOVA_DEFAULT,
  completionTimeoutSecPerGiB: 300,
  timeoutAction: 'force-complete',
  allowPostCopy: true,
  postCopyOnSlowProgress: true,
};

/**
 * livemig's default: the strategy is chosen from the prediction before the start (chooseStrategy), and a copy
 * whose remaining data stops falling for 20 s escalates at once: post-copy when the start allowed it, then a
 * 2 s downtime, then a pause. Nova's stepped downtime (500 ms over a short schedule) still runs underneath.
 */
export const LIVEMIG_DEFAULT: ConvergencePolicy = {
  ...NOVA_DEFAULT,
  maxDowntimeMs: 500,
  downtimeSteps: 3,
  downtimeDelaySecPerGiB: 10,
  completionTimeoutSecPerGiB: 300,
  timeoutAction: 'force-complete',
  allowPostCopy: true,
  forceCompleteMaxDowntimeMs: 2000,
  allowAutoConverge: true,
  autoConvergeInitialPct: 20,
  autoConvergeIncrementPct: 10,
  autoConvergeMaxPct: 40,
  strategy: 'auto',
  maxMultifdChannels: 4,
  stallWindowSec: 20,
  stallMinDropPct: 10,
  stallEscalation: ['post-copy', 'raise-downtime', 'pause'],
};

export const CONVERGENCE_PRESETS = {
  'livemig-default': LIVEMIG_DEFAULT,
  'nova-default': NOVA_DEFAULT,
  'kubevirt-default': KUBEVIRT_DEFAULT,
  'minimal-downtime': MINIMAL_DOWNTIME,
  'suspend-workload-if-needed': SUSPEND_WORKLOAD_IF_NEEDED,
  'post-copy': POST_COPY,
} as const satisfies Record<string, ConvergencePolicy>;

export type ConvergencePresetName = keyof typeof CONVERGENCE_PRESETS;

export function isConvergencePresetName(name: string): name is ConvergencePresetName {
  return Object.prototype.hasOwnProperty.call(CONVERGENCE_PRESETS, name);
}
