// Completion and progress timeouts (Nova completion timeout per GiB, KubeVirt progressTimeout).
import { GiB, MiB } from '../units';

export type MigrationRunMode = 'pre-copy' | 'post-copy';

/** Nova counts at least 2 GiB of RAM so small guests still get a usable schedule. */
export const MIN_RAM_GIB_FOR_TIMEOUTS = 2;

export function migrationDataGiB(ramMiB: number, diskBytes = 0): number {
  const ramGiB = Math.max((ramMiB * MiB) / GiB, MIN_RAM_GIB_FOR_TIMEOUTS);
  return ramGiB + diskBytes / GiB;
}

/** 0 disables the timeout, as in Nova and KubeVirt. */
export function completionTimeoutSec(completionTimeoutSecPerGiB: number, dataGiB: number): number {
  return Math.trunc(completionTimeoutSecPerGiB * dataGiB);
}

/** Never fires once post-copy runs: the guest already lives on the destination. */
export function shouldTriggerTimeoutAction(elapsedSec: number, timeoutSec: number, mode: MigrationRunMode): boolean {
  if (timeoutSec <= 0) return false;
  if (mode === 'post-copy') return false;
  return elapsedSec > timeoutSec;
}

export interface ProgressMark {
  /** Smallest dataRemaining seen so far; progress means going below it. */
  readonly lowestRemainingBytes: number;
  readonly lastProgressAtSec: number;
}

export function trackProgress(mark: ProgressMark | null, remainingBytes: number, elapsedSec: number): ProgressMark {
  if (mark === null || remainingBytes < mark.lowestRemainingBytes) {
    return { lowestRemainingBytes: remainingBytes, lastProgressAtSec: elapsedSec };
  }
  return mark;
}

/** KubeVirt progressTimeout: no drop in dataRemaining for longer than the timeout. 0 disables. */
export function progressTimedOut(progressTimeoutSec: number, mark: ProgressMark, elapsedSec: number): boolean {
  if (progressTimeoutSec <= 0) return false;
  return elapsedSec - mark.lastProgressAtSec > progressTimeoutSec;
}
