// Pure: the pre-copy model's inputs from what was measured before the copy, and the error once it ended.
import { MiB, predictPrecopy, type PrecopyInput, type PrecopyPrediction } from '../core';
import type { BandwidthSource, PrecopyRecordError, PrecopyRecordInputs, PrecopyRecordPrediction } from './precopy-record';

/** Used when neither the policy nor the host's migration link says (as the planners assume: 10 Gbit). */
export const PLANNING_LINK_BYTES_PER_SEC = 1.25e9;
/**
 * The longer window counts as saturated (a bounded working set) when it dirtied less than this times the
 * shorter one; a guest dirtying new memory steadily doubles it.
 */
export const WORKING_SET_GROWTH = 1.5;

/** The migration link as the source host's agent read it. */
export interface LinkRate {
  /** The rate of a tc shaper on the interface, when there is one. */
  shapedRateBitsPerSec: number | null;
  /** The interface's negotiated speed, when it reports one. */
  speedBitsPerSec: number | null;
}

/** One dirty-rate calculation: QEMU's MiB/s (it shifts bytes by 20 and says MB) over its window. */
export interface DirtyWindow {
  seconds: number;
  mibPerSec: number;
}

export interface MeasuredFacts {
  ramMiB: number;
  /** Non-zero bytes the instance's previous migration sent in its first round; null without one. */
  previousFirstRoundBytes: number | null;
  /** Guest RAM the source host holds, from its agent (QEMU's mapping); null when unknown. */
  hostMemory: { residentBytes: number; nonZeroBytes: number } | null;
  /** Shortest window first. */
  dirtyWindows: readonly DirtyWindow[];
  dirtyRateMode: string | null;
  /** The policy's per-migration cap; 0 is unlimited. */
  policyBandwidthMiBps: number;
  maxDowntimeMs: number;
  link: LinkRate | null;
  /** libvirt's setup time of earlier migrations from the same host, ms. */
  recentSetupMs: readonly number[];
}

function linkBytesPerSec(link: LinkRate | null): { rate: number; source: BandwidthSource } {
  if (link?.shapedRateBitsPerSec) return { rate: link.shapedRateBitsPerSec / 8, source: 'link-shaped' };
  if (link?.speedBitsPerSec) return { rate: link.speedBitsPerSec / 8, source: 'link-speed' };
  return { rate: PLANNING_LINK_BYTES_PER_SEC, source: 'planning-default' };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Two page-sampling windows, each a fresh random sample and coarse. A guest that keeps rewriting the same
 * pages dirties about as much in 2 s as in 1 s: its working set is the mean of the two, dirtied within the
 * first second. A guest that dirties new memory doubles it: its rate is the mean of the two windows' rates.
 */
export function dirtyProfile(windows: readonly DirtyWindow[]): {
  rateBytesPerSec: number;
  workingSetBytes: number | null;
  dirtied: { seconds: number; bytes: number }[];
} {
  if (windows.length === 0) throw new RangeError('at least one dirty-rate window is needed');
  const dirtied = windows.map((w) => ({ seconds: w.seconds, bytes: w.mibPerSec * MiB * w.seconds }));
  const first = dirtied[0];
  const last = dirtied[dirtied.length - 1];
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  if (dirtied.length > 1 && last.bytes < WORKING_SET_GROWTH * first.bytes) {
    const workingSet = mean(dirtied.map((d) => d.bytes));
    return { rateBytesPerSec: workingSet / first.seconds, workingSetBytes: workingSet, dirtied };
  }
  return { rateBytesPerSec: mean(dirtied.map((d) => d.bytes / d.seconds)), workingSetBytes: null, dirtied };
}

export function precopyInputs(facts: MeasuredFacts): PrecopyRecordInputs {
  const link = linkBytesPerSec(facts.link);
  const cap = facts.policyBandwidthMiBps > 0 ? facts.policyBandwidthMiBps * MiB : Infinity;
  const capped = cap < link.rate;
  const ramBytes = facts.ramMiB * MiB;
  const dirty = dirtyProfile(facts.dirtyWindows);
  const known = (v: number | null | undefined) => (v !== null && v !== undefined && v > 0 ? Math.min(v, ramBytes) : null);
  const nonZero = known(facts.hostMemory?.nonZeroBytes);
  const previous = known(facts.previousFirstRoundBytes);
  return {
    ramBytes,
    residentBytes: nonZero ?? previous ?? ramBytes,
    residentSource: nonZero !== null ? 'host-nonzero' : previous !== null ? 'previous-migration' : 'ram',
    hostResidentBytes: facts.hostMemory?.residentBytes ?? null,
    dirtyRateBytesPerSec: dirty.rateBytesPerSec,
    dirtyWindows: dirty.dirtied,
    workingSetBytes: dirty.workingSetBytes,
    dirtyRateMode: facts.dirtyRateMode,
    bandwidthBytesPerSec: capped ? cap : link.rate,
    bandwidthSource: capped ? 'policy-cap' : link.source,
    switchoverBandwidthBytesPerSec: link.rate,
    maxDowntimeMs: facts.maxDowntimeMs,
    setupSec: facts.recentSetupMs.length > 0 ? median(facts.recentSetupMs) / 1000 : 0,
    setupSource:
      facts.recentSetupMs.length > 0
        ? `median of ${facts.recentSetupMs.length} earlier migration(s) from the host`
        : 'none (no earlier migration from the host)',
  };
}

export function modelInput(inputs: PrecopyRecordInputs): PrecopyInput {
  return {
    ramBytes: inputs.ramBytes,
    residentBytes: inputs.residentBytes,
    ...(inputs.workingSetBytes !== null ? { workingSetBytes: inputs.workingSetBytes } : {}),
    dirtyRateBytesPerSec: inputs.dirtyRateBytesPerSec,
    bandwidthBytesPerSec: inputs.bandwidthBytesPerSec,
    switchoverBandwidthBytesPerSec: inputs.switchoverBandwidthBytesPerSec,
    maxDowntimeMs: inputs.maxDowntimeMs,
    setupSec: inputs.setupSec,
  };
}

export function recordPrediction(p: PrecopyPrediction): PrecopyRecordPrediction {
  return {
    iterations: p.iterations,
    totalTimeMs: p.totalTimeSec * 1000,
    downtimeMs: p.downtimeMs,
    transferredBytes: p.transferredBytes,
    converges: p.converges,
    reason: p.reason,
  };
}

export function predictFromInputs(inputs: PrecopyRecordInputs): PrecopyRecordPrediction {
  return recordPrediction(predictPrecopy(modelInput(inputs)));
}

export interface ActualFigures {
  hvTotalTimeMs: number | null;
  hvDowntimeMs: number | null;
  hvIterations: number | null;
  netTotalMigrationTimeMs: number | null;
}

/** The error against the hypervisor's total time; null when the job did not report one. */
export function predictionError(prediction: PrecopyRecordPrediction, actual: ActualFigures): PrecopyRecordError | null {
  if (actual.hvTotalTimeMs === null || !(actual.hvTotalTimeMs > 0)) return null;
  return {
    actualTotalTimeMs: actual.hvTotalTimeMs,
    totalTimeErrorMs: prediction.totalTimeMs - actual.hvTotalTimeMs,
    totalTimeRelative: (prediction.totalTimeMs - actual.hvTotalTimeMs) / actual.hvTotalTimeMs,
    networkTotalTimeMs: actual.netTotalMigrationTimeMs,
    actualDowntimeMs: actual.hvDowntimeMs,
    actualIterations: actual.hvIterations,
  };
}
