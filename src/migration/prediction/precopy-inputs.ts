// Pure: the pre-copy model's inputs from what was measured before the copy, and the error once it ended.
import { MiB, predictPrecopy, type PrecopyInput, type PrecopyPrediction } from '../core';
import type { BandwidthSource, PrecopyRecordError, PrecopyRecordInputs, PrecopyRecordPrediction } from './precopy-record';

/** Used when neither the policy nor the host's migration link says (as the planners assume: 10 Gbit). */
export const PLANNING_LINK_BYTES_PER_SEC = 1.25e9;
/** Setup assumed before a host has completed any migration. */
export const DEFAULT_SETUP_SEC = 0.5;

/** The migration link as the source host's agent read it. */
export interface LinkRate {
  /** The rate of a tc shaper on the interface, when there is one. */
  shapedRateBitsPerSec: number | null;
  /** The interface's negotiated speed, when it reports one. */
  speedBitsPerSec: number | null;
}

export interface MeasuredFacts {
  ramMiB: number;
  /** QEMU's calc-dirty-rate result, MiB/s (QEMU shifts bytes by 20 and says MB). */
  dirtyRateMiBps: number;
  dirtyRateCalcSeconds: number;
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

export function precopyInputs(facts: MeasuredFacts): PrecopyRecordInputs {
  const link = linkBytesPerSec(facts.link);
  const cap = facts.policyBandwidthMiBps > 0 ? facts.policyBandwidthMiBps * MiB : Infinity;
  const capped = cap < link.rate;
  const setup = facts.recentSetupMs.length > 0 ? median(facts.recentSetupMs) / 1000 : DEFAULT_SETUP_SEC;
  return {
    ramBytes: facts.ramMiB * MiB,
    dirtyRateBytesPerSec: facts.dirtyRateMiBps * MiB,
    dirtyRateCalcSeconds: facts.dirtyRateCalcSeconds,
    dirtyRateMode: facts.dirtyRateMode,
    bandwidthBytesPerSec: capped ? cap : link.rate,
    bandwidthSource: capped ? 'policy-cap' : link.source,
    switchoverBandwidthBytesPerSec: link.rate,
    maxDowntimeMs: facts.maxDowntimeMs,
    setupSec: setup,
    setupSource: facts.recentSetupMs.length > 0 ? `median of ${facts.recentSetupMs.length} earlier migration(s) from the host` : 'default (no earlier migration from the host)',
  };
}

export function modelInput(inputs: PrecopyRecordInputs): PrecopyInput {
  return {
    ramBytes: inputs.ramBytes,
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
