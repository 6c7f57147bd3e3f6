// The fast start: the copy begins before any dirty-rate window, and the end of the first full pass decides,
// from what QEMU itself measured during it (dirty rate, throughput), whether pre-copy can finish.
import { predictPrecopy } from '../precopy-model';

export interface FirstPassFigures {
  /** What the first pass left for round two: the memory dirtied while it ran. */
  readonly remainingBytes: number;
  readonly dirtyRateBytesPerSec: number;
  /** The throughput QEMU measured on the link during the pass (memory_bps). */
  readonly bandwidthBytesPerSec: number;
  readonly ramBytes: number;
  readonly maxDowntimeMs: number;
}

export interface FirstPassVerdict {
  readonly converges: boolean;
  /** The model's rounds and seconds from the end of the first pass on. */
  readonly iterations: number;
  readonly remainingSec: number;
  readonly downtimeMs: number;
  readonly figures: FirstPassFigures;
}

/** Pure: the pre-copy model run from the end of the first pass on QEMU's own figures. */
export function firstPassVerdict(figures: FirstPassFigures): FirstPassVerdict | null {
  if (!(figures.bandwidthBytesPerSec > 0) || !(figures.dirtyRateBytesPerSec >= 0) || !(figures.remainingBytes >= 0)) return null;
  const p = predictPrecopy({
    ramBytes: figures.ramBytes,
    residentBytes: Math.min(figures.remainingBytes, figures.ramBytes),
    dirtyRateBytesPerSec: figures.dirtyRateBytesPerSec,
    bandwidthBytesPerSec: figures.bandwidthBytesPerSec,
    maxDowntimeMs: figures.maxDowntimeMs,
  });
  return { converges: p.converges, iterations: p.iterations, remainingSec: p.totalTimeSec, downtimeMs: p.downtimeMs, figures };
}
