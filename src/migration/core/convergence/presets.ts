import type { ConvergencePolicy } from './policy';

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

export const CONVERGENCE_PRESETS = {
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
