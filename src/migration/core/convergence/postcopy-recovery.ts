// Post-copy cannot be rolled back once switched, so a lost link is met with QEMU's post-copy recovery:
// a stuck job is paused (migrate-pause), then resumed with backoff until the link is back or the window ends.

export interface PostCopyRecoverySettings {
  /** A post-copy job whose data processed has not risen for this long is stuck (a blackholed link); 0: never. */
  readonly stallMs: number;
  /** How long after the failure resumes are tried before the run ends with the guest split between the hosts. */
  readonly windowMs: number;
  readonly firstBackoffMs: number;
  readonly maxBackoffMs: number;
}

/** The highest data-processed figure seen, and when it was reached. */
export interface PostCopyProgressMark {
  readonly bytes: number;
  readonly atMs: number;
}

/** Pure: progress only counts when data processed rises; stalled once it has not for stallMs. */
export function trackPostCopyProgress(
  mark: PostCopyProgressMark | null,
  processedBytes: number,
  atMs: number,
  stallMs: number,
): { mark: PostCopyProgressMark; stalled: boolean } {
  if (mark === null || processedBytes > mark.bytes) return { mark: { bytes: processedBytes, atMs }, stalled: false };
  return { mark, stalled: stallMs > 0 && atMs - mark.atMs >= stallMs };
}

/**
 * Pure: how long to wait before resume attempt `attempt` (1-based), doubling from firstBackoffMs up to
 * maxBackoffMs; null when that wait would end past the recovery window.
 */
export function nextResumeWaitMs(attempt: number, sinceFailureMs: number, settings: PostCopyRecoverySettings): number | null {
  const waitMs = Math.min(settings.maxBackoffMs, settings.firstBackoffMs * 2 ** Math.max(0, attempt - 1));
  return sinceFailureMs + waitMs > settings.windowMs ? null : waitMs;
}
