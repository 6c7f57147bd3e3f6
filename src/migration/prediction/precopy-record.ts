// What a migration row keeps of its pre-copy prediction: the inputs as measured, the model's answer,
// and, once the migration has ended, its error against what happened.
import type { CopyStrategy, FirstPassVerdict, NonConvergenceReason, StrategyInputs } from '../core';

/** Where the bandwidth the model used came from. */
export type BandwidthSource = 'policy-cap' | 'link-shaped' | 'link-speed' | 'planning-default';

export interface PrecopyRecordInputs {
  ramBytes: number;
  /**
   * What the first round copies (QEMU sends zero pages as tiny records): the guest RAM that is not zero, as
   * the source's agent read it from QEMU's mapping; else what the instance's previous migration sent in its
   * first round; else all of RAM.
   */
  residentBytes: number;
  residentSource: 'host-nonzero' | 'previous-migration' | 'ram';
  /** Guest RAM the host holds resident (written pages, zero or not), for the record. */
  hostResidentBytes: number | null;
  /** From libvirt's dirty-rate calculation (page-sampling) on the source over the first window, before the copy. */
  dirtyRateBytesPerSec: number;
  /** Dirtied over each window (page-sampling over 1 s, then over 2 s): the growth shows a bounded working set. */
  dirtyWindows: { seconds: number; bytes: number }[];
  /**
   * Set when the longer window dirtied less than 1.5 times the shorter: the guest keeps rewriting the same
   * pages, and a round cannot dirty more than their mean (page-sampling is coarse: QEMU samples 512 pages a GiB).
   */
  workingSetBytes: number | null;
  dirtyRateMode: string | null;
  bandwidthBytesPerSec: number;
  bandwidthSource: BandwidthSource;
  /** QEMU lifts its cap for stop-and-copy; the link still limits it. */
  switchoverBandwidthBytesPerSec: number;
  /** The first downtime step, the one the migrate call carries. */
  maxDowntimeMs: number;
  setupSec: number;
  /** How setupSec was found (earlier migrations from the same host, or none: 0). */
  setupSource: string;
}

export interface PrecopyRecordPrediction {
  iterations: number;
  totalTimeMs: number;
  downtimeMs: number;
  transferredBytes: number;
  converges: boolean;
  reason: NonConvergenceReason | null;
}

export interface PrecopyRecordError {
  /** The hypervisor's time elapsed of the job (COMPLETED job stats), the actual compared against. */
  actualTotalTimeMs: number;
  totalTimeErrorMs: number;
  /** (predicted - actual) / actual. */
  totalTimeRelative: number;
  /** The network-observed migration stream, when the capture saw it, for reference. */
  networkTotalTimeMs: number | null;
  actualDowntimeMs: number | null;
  actualIterations: number | null;
}

/** The strategy chosen before the start, with what it was chosen from. */
export interface StrategyRecord {
  choice: CopyStrategy;
  inputs: StrategyInputs;
  /** Versions as text, for the reader (the ability in inputs is what they mean). */
  libvirtVersion: string | null;
  qemuVersion: string | null;
}

/** A post-copy run: when it switched, and the figures libvirt does not give as completed job stats on the destination. */
export interface PostCopyRecord {
  /** ms since the copy started; null when no switch happened. */
  switchedAtMs: number | null;
  /** The source paused (post-copy) until the destination resumed it, from the two hosts' lifecycle events. */
  downtimeMs: number | null;
  /** From the migrate call to its return. */
  totalTimeMs: number | null;
  /** The last sample of the running job. */
  dataProcessedBytes: number | null;
  iterations: number | null;
  postcopyRequests: number | null;
  /** Set when the link failed after the switch. */
  recovery?: PostCopyRecoveryRecord | null;
  note: string;
}

/** A post-copy job that lost its link, and how post-copy recovery went. */
export interface PostCopyRecoveryRecord {
  /** ms since the copy started. */
  failedAtMs: number;
  /** `stuck-link`: no progress, livemig paused the job; `link-error`: the job failed by itself (a reset link). */
  cause: 'stuck-link' | 'link-error';
  error: string;
  /** Resume calls made. */
  attempts: number;
  /** ms since the copy started; null when no resume completed the job. */
  recoveredAtMs: number | null;
  lastError: string | null;
}

export interface PrecopyRecord {
  madeAt: string;
  /** Chosen before the start; null on records from before the strategy existed. */
  strategy?: StrategyRecord | null;
  postCopy?: PostCopyRecord | null;
  /** The end of the first pass: the model again on QEMU's measured throughput and dirty rate (ms since the copy started). */
  firstPass?: (FirstPassVerdict & { atMs: number }) | null;
  /** null when the inputs could not be measured (see note). */
  inputs: PrecopyRecordInputs | null;
  prediction: PrecopyRecordPrediction | null;
  error: PrecopyRecordError | null;
  notes: string[];
}
