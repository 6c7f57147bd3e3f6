// What the monitor loop must do after a poll; it performs these and nothing else. Every one is a call libvirt
// takes mid-job (what it can only set at the start is in the CopyStrategy instead).

export type ConvergenceAction =
  | { readonly type: 'set-bandwidth'; readonly bandwidthMiBps: number }
  | { readonly type: 'set-max-downtime'; readonly downtimeMs: number; readonly reason: 'downtime-step' | 'force-complete' | 'stall' }
  | {
      readonly type: 'start-post-copy';
      readonly reason: 'slow-progress' | 'force-complete' | 'after-first-pass' | 'first-pass-verdict' | 'stall';
    }
  | { readonly type: 'pause-guest'; readonly reason: 'force-complete' | 'stall' }
  | { readonly type: 'abort'; readonly reason: 'completion-timeout' | 'progress-timeout' | 'operator-request' | 'stall' };

export type ConvergenceActionType = ConvergenceAction['type'];
