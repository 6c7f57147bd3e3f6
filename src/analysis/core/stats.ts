// Small statistics used by the probe metrics; inputs are plain numbers so each is table-tested on its own.

/** Median of values (mean of the two middle ones for an even count); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile over ascending-sorted values: the ⌈p/100 × n⌉-th smallest. */
export function percentileSorted(sortedAsc: readonly number[], p: number): number | null {
  if (sortedAsc.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sortedAsc.length));
  return sortedAsc[Math.min(rank, sortedAsc.length) - 1];
}

/** Largest difference between consecutive values of an ascending list; null with fewer than two. */
export function maxConsecutiveGap(sortedAsc: readonly number[]): number | null {
  if (sortedAsc.length < 2) return null;
  let best = 0;
  for (let i = 1; i < sortedAsc.length; i++) best = Math.max(best, sortedAsc[i] - sortedAsc[i - 1]);
  return best;
}

/**
 * RFC 3550 interarrival jitter over round-trip times in sequence order: D = (Rj − Ri) − (Sj − Si) = rttj − rtti,
 * J ← J + (|D| − J)/16. Null with fewer than two samples.
 */
export function rfc3550Jitter(rttsInSequenceOrder: readonly number[]): number | null {
  if (rttsInSequenceOrder.length < 2) return null;
  let jitter = 0;
  for (let i = 1; i < rttsInSequenceOrder.length; i++) {
    const d = rttsInSequenceOrder[i] - rttsInSequenceOrder[i - 1];
    jitter += (Math.abs(d) - jitter) / 16;
  }
  return jitter;
}
