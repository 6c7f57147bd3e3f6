// What the monitor loop must do after a poll; it performs these and nothing else.

export type ConvergenceAction =
  | { readonly type: 'set-bandwidth'; readonly bandwidthMiBps: number }
  | { readonly type: 'set-max-downtime'; readonly downtimeMs: number; readonly reason: 'downtime-step' | 'force-complete' }
  | { readonly type: 'start-post-copy'; readonly reason: 'slow-progress' | 'force-complete' }
  | { readonly type: 'pause-guest'; readonly reason: 'force-complete' }
  | { readonly type: 'abort'; readonly reason: 'completion-timeout' | 'progress-timeout' | 'operator-request' }
  | { readonly type: 'enable-auto-converge'; readonly throttleInitialPct: number; readonly throttleIncrementPct: number }
  | { readonly type: 'raise-cpu-throttle'; readonly throttlePct: number };

export type ConvergenceActionType = ConvergenceAction['type'];
