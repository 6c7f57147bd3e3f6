// Classic iterative pre-copy model: round k sends what the guest dirtied during round k-1;
// stop-and-copy once the remainder fits in the max downtime at link rate.

export interface PrecopyInput {
  readonly ramBytes: number;
  readonly dirtyRateBytesPerSec: number;
  readonly bandwidthBytesPerSec: number;
  readonly maxDowntimeMs: number;
  /** Dirty data per round cannot exceed the working set; defaults to all of RAM. */
  readonly workingSetBytes?: number;
  /** One-off setup before the first round (connection, destination domain start). */
  readonly setupSec?: number;
  /** Fixed cost of each round (dirty-bitmap sync). */
  readonly perIterationOverheadSec?: number;
  readonly maxIterations?: number;
  /** RAM the guest has touched; QEMU sends never-touched (zero) pages as tiny records. Defaults to ramBytes. */
  readonly residentBytes?: number;
  /** QEMU lifts the bandwidth cap for the final stop-and-copy; defaults to bandwidthBytesPerSec. */
  readonly switchoverBandwidthBytesPerSec?: number;
  /** Downtime that is not memory: device state, destination resume. */
  readonly switchoverFixedMs?: number;
}

export type NonConvergenceReason = 'dirty-rate-exceeds-bandwidth' | 'no-progress' | 'max-iterations';

export interface PrecopyPrediction {
  readonly converges: boolean;
  readonly reason: NonConvergenceReason | null;
  /** Pre-copy rounds, not counting the final stop-and-copy. */
  readonly iterations: number;
  /** Setup + rounds + stop-and-copy; when it does not converge, as if forced to stop at the last round. */
  readonly totalTimeSec: number;
  readonly downtimeMs: number;
  readonly transferredBytes: number;
  readonly finalRemainingBytes: number;
}

export const DEFAULT_MAX_PRECOPY_ITERATIONS = 30;

function validate(input: PrecopyInput): void {
  if (!(input.bandwidthBytesPerSec > 0)) throw new RangeError('bandwidthBytesPerSec must be > 0');
  if (!(input.ramBytes >= 0) || !(input.dirtyRateBytesPerSec >= 0) || !(input.maxDowntimeMs >= 0)) {
    throw new RangeError('ramBytes, dirtyRateBytesPerSec and maxDowntimeMs must be >= 0');
  }
  if (input.switchoverBandwidthBytesPerSec !== undefined && !(input.switchoverBandwidthBytesPerSec > 0)) {
    throw new RangeError('switchoverBandwidthBytesPerSec must be > 0');
  }
}

export function predictPrecopy(input: PrecopyInput): PrecopyPrediction {
  validate(input);
  const bw = input.bandwidthBytesPerSec;
  const dirtyCap = Math.min(input.workingSetBytes ?? input.ramBytes, input.ramBytes);
  const overheadSec = input.perIterationOverheadSec ?? 0;
  const maxIterations = input.maxIterations ?? DEFAULT_MAX_PRECOPY_ITERATIONS;
  const thresholdBytes = (bw * input.maxDowntimeMs) / 1000;

  // Convergence is judged at the rate QEMU measured during the rounds, as QEMU does.
  let remaining = Math.min(input.residentBytes ?? input.ramBytes, input.ramBytes);
  let timeSec = input.setupSec ?? 0;
  let transferred = 0;
  let iterations = 0;
  let reason: NonConvergenceReason | null = null;

  for (;;) {
    const roundSec = remaining / bw + overheadSec;
    timeSec += roundSec;
    transferred += remaining;
    iterations++;
    const dirtied = Math.min(input.dirtyRateBytesPerSec * roundSec, dirtyCap);
    if (dirtied <= thresholdBytes) {
      remaining = dirtied;
      break;
    }
    if (dirtied >= remaining) {
      // The remainder no longer shrinks: a fixed point above the threshold.
      reason = input.dirtyRateBytesPerSec >= bw ? 'dirty-rate-exceeds-bandwidth' : 'no-progress';
      remaining = dirtied;
      break;
    }
    remaining = dirtied;
    if (iterations >= maxIterations) {
      reason = 'max-iterations';
      break;
    }
  }
  const stopAndCopySec = remaining / (input.switchoverBandwidthBytesPerSec ?? bw) + (input.switchoverFixedMs ?? 0) / 1000;
  return {
    converges: reason === null,
    reason,
    iterations,
    totalTimeSec: timeSec + stopAndCopySec,
    downtimeMs: stopAndCopySec * 1000,
    transferredBytes: transferred + remaining,
    finalRemainingBytes: remaining,
  };
}

export interface PrecopyActual {
  readonly totalTimeSec: number;
  readonly downtimeMs: number;
  readonly transferredBytes: number;
  readonly iterations?: number;
}

export interface ErrorFigure {
  readonly predicted: number;
  readonly actual: number;
  readonly absolute: number;
  /** (predicted - actual) / actual; null when actual is 0. */
  readonly relative: number | null;
}

export interface PrecopyPredictionError {
  readonly totalTimeSec: ErrorFigure;
  readonly downtimeMs: ErrorFigure;
  readonly transferredBytes: ErrorFigure;
  readonly iterations: ErrorFigure | null;
}

function errorFigure(predicted: number, actual: number): ErrorFigure {
  return { predicted, actual, absolute: predicted - actual, relative: actual === 0 ? null : (predicted - actual) / actual };
}

export function predictionError(predicted: PrecopyPrediction, actual: PrecopyActual): PrecopyPredictionError {
  return {
    totalTimeSec: errorFigure(predicted.totalTimeSec, actual.totalTimeSec),
    downtimeMs: errorFigure(predicted.downtimeMs, actual.downtimeMs),
    transferredBytes: errorFigure(predicted.transferredBytes, actual.transferredBytes),
    iterations: actual.iterations === undefined ? null : errorFigure(predicted.iterations, actual.iterations),
  };
}
