// The copy strategy, chosen once before the start from the pre-copy model: what libvirt can only set at the
// start (multifd channels, compression, auto-converge throttle, the post-copy flag) is decided here.
import { predictPrecopy, type PrecopyInput } from '../precopy-model';
import { hypervisorAbility, type HypervisorAbility } from './hypervisor-ability';
import type { ConvergencePolicy } from './policy';

export type StrategyKind = 'pre-copy' | 'multifd' | 'multifd-zstd' | 'auto-converge' | 'post-copy-after-first-pass';

export interface StrategyInputs {
  readonly ramBytes: number;
  /** What the first pass copies (non-zero RAM). */
  readonly residentBytes: number;
  readonly dirtyRateBytesPerSec: number;
  readonly workingSetBytes: number | null;
  /** The migration link's capacity, measured or read from the source (see linkSource). */
  readonly linkBytesPerSec: number;
  readonly linkSource: string;
  /** What one migration stream from this host carried when measured; null when never measured. */
  readonly singleStreamBytesPerSec: number | null;
  /** Idle host CPUs on the source; null when unknown. */
  readonly cpuHeadroomCores: number | null;
  /** Raw bytes per compressed byte of the guest's memory; null when unknown. */
  readonly compressionRatio: number | null;
  /** The downtime the migrate call starts with. */
  readonly maxDowntimeMs: number;
  readonly setupSec: number;
  readonly ability: HypervisorAbility;
}

export interface StrategyPrediction {
  readonly converges: boolean;
  readonly iterations: number;
  readonly totalTimeSec: number;
  readonly downtimeMs: number;
  readonly bandwidthBytesPerSec: number;
}

export interface CopyStrategy {
  readonly kind: StrategyKind;
  /** 1 is a single stream (no VIR_MIGRATE_PARALLEL). */
  readonly multifdChannels: number;
  readonly compression: 'zstd' | null;
  readonly autoConverge: { readonly initialPct: number; readonly incrementPct: number } | null;
  /** VIR_MIGRATE_POSTCOPY at the start: needed for any later switch (after the first pass, on a stall, or forced). */
  readonly postCopyEnabled: boolean;
  readonly postCopyAfterFirstPass: boolean;
  /**
   * Pre-copy chosen on figures read before the copy (a short dirty-rate window, a link reading or a default):
   * at the end of the first pass, QEMU's measured throughput and dirty rate decide again (post-copy if pre-copy
   * cannot finish). Absent on records from before it existed.
   */
  readonly refineAfterFirstPass?: boolean;
  readonly reason: string;
  readonly predicted: StrategyPrediction | null;
}

/** A stream slower than this share of the link is the bottleneck, and parallel connections help. */
export const SINGLE_STREAM_BOTTLENECK_SHARE = 0.8;
/** zstd level 1 compresses about this much per core (QEMU's multifd zstd runs one thread per channel). */
export const ZSTD_BYTES_PER_SEC_PER_CORE = 300e6;
export const MIN_USEFUL_COMPRESSION_RATIO = 1.3;
/** Auto-converge aims at a dirty rate this share of the bandwidth, so each round roughly halves. */
export const AUTO_CONVERGE_TARGET_SHARE = 0.5;
/** Compression is worth its CPU only when it is this much faster than the plain copy. */
const COMPRESSION_GAIN = 1.5;

const mbps = (bytesPerSec: number) => `${Math.round((bytesPerSec * 8) / 1e6)} Mbit/s`;
const mibps = (bytesPerSec: number) => `${Math.round(bytesPerSec / 2 ** 20)} MiB/s`;

function predict(inputs: StrategyInputs, bandwidthBytesPerSec: number, dirtyRateBytesPerSec: number): StrategyPrediction {
  const model: PrecopyInput = {
    ramBytes: inputs.ramBytes,
    residentBytes: inputs.residentBytes,
    dirtyRateBytesPerSec,
    ...(inputs.workingSetBytes !== null ? { workingSetBytes: inputs.workingSetBytes } : {}),
    bandwidthBytesPerSec,
    maxDowntimeMs: inputs.maxDowntimeMs,
    setupSec: inputs.setupSec,
  };
  const p = predictPrecopy(model);
  return { converges: p.converges, iterations: p.iterations, totalTimeSec: p.totalTimeSec, downtimeMs: p.downtimeMs, bandwidthBytesPerSec };
}

/** Post-copy after one full pass: the pass, then what the guest dirtied meanwhile, pulled at link rate. */
function predictPostCopy(inputs: StrategyInputs, bandwidthBytesPerSec: number): StrategyPrediction {
  const passSec = inputs.residentBytes / bandwidthBytesPerSec;
  const dirtied = Math.min(inputs.dirtyRateBytesPerSec * passSec, inputs.workingSetBytes ?? inputs.ramBytes, inputs.ramBytes);
  return {
    converges: true,
    iterations: 1,
    totalTimeSec: inputs.setupSec + passSec + dirtied / bandwidthBytesPerSec,
    // Only device state and the CPU hand-over: pages follow on demand.
    downtimeMs: 0,
    bandwidthBytesPerSec,
  };
}

/** The throttle that brings the dirty rate down to the target share of the bandwidth, rounded up to 5 %. */
export function requiredThrottlePct(dirtyRateBytesPerSec: number, bandwidthBytesPerSec: number): number {
  if (dirtyRateBytesPerSec <= 0) return 0;
  const share = 1 - (AUTO_CONVERGE_TARGET_SHARE * bandwidthBytesPerSec) / dirtyRateBytesPerSec;
  return Math.min(99, Math.max(0, Math.ceil((share * 100) / 5) * 5));
}

function fixedStrategy(policy: ConvergencePolicy, ability: HypervisorAbility): CopyStrategy {
  const channels = ability.multifd ? policy.multifdChannels : 1;
  const postCopyEnabled = policy.allowPostCopy && ability.postCopy && (channels === 1 || ability.postCopyWithMultifd);
  const notes = [`fixed by the policy`];
  if (channels !== policy.multifdChannels) notes.push(`multifd not available: single stream`);
  if (policy.allowPostCopy && !postCopyEnabled) notes.push(`post-copy not available with ${channels} multifd channels`);
  return {
    kind: policy.allowAutoConverge ? 'auto-converge' : channels > 1 ? 'multifd' : 'pre-copy',
    multifdChannels: channels,
    compression: null,
    autoConverge: policy.allowAutoConverge
      ? { initialPct: policy.autoConvergeInitialPct, incrementPct: policy.autoConvergeIncrementPct }
      : null,
    postCopyEnabled,
    postCopyAfterFirstPass: false,
    reason: notes.join('; '),
    predicted: null,
  };
}

interface Streams {
  channels: number;
  bandwidthBytesPerSec: number;
  why: string;
}

function streams(policy: ConvergencePolicy, inputs: StrategyInputs): Streams {
  const link = inputs.linkBytesPerSec;
  const single = inputs.singleStreamBytesPerSec;
  if (single === null || single >= SINGLE_STREAM_BOTTLENECK_SHARE * link) {
    const why = single === null ? 'single-stream rate not measured yet' : `one stream carries ${mbps(single)} of ${mbps(link)}`;
    return { channels: 1, bandwidthBytesPerSec: Math.min(link, single ?? link), why };
  }
  if (!inputs.ability.multifd || policy.maxMultifdChannels < 2) {
    return {
      channels: 1,
      bandwidthBytesPerSec: single,
      why: `one stream is the bottleneck (${mbps(single)} of ${mbps(link)}) but multifd is not available`,
    };
  }
  const channels = Math.min(policy.maxMultifdChannels, Math.max(2, Math.ceil(link / single)));
  return {
    channels,
    bandwidthBytesPerSec: Math.min(link, single * channels),
    why: `one stream is the bottleneck (${mbps(single)} of ${mbps(link)}): ${channels} multifd channels`,
  };
}

function zstdOption(
  policy: ConvergencePolicy,
  inputs: StrategyInputs,
  s: Streams,
): { prediction: StrategyPrediction; channels: number } | null {
  const ratio = inputs.compressionRatio;
  const cores = inputs.cpuHeadroomCores;
  if (!inputs.ability.multifd || !inputs.ability.multifdCompression.includes('zstd')) return null;
  if (ratio === null || ratio < MIN_USEFUL_COMPRESSION_RATIO || cores === null || cores < 1) return null;
  const channels = Math.min(policy.maxMultifdChannels, Math.max(s.channels, 2), Math.floor(cores));
  if (channels < 2) return null;
  const rawRate = Math.min(s.bandwidthBytesPerSec * ratio, channels * ZSTD_BYTES_PER_SEC_PER_CORE);
  return { prediction: predict(inputs, rawRate, inputs.dirtyRateBytesPerSec), channels };
}

/** Pure: the strategy for this migration, with the reason and the prediction it rests on. */
export function chooseStrategy(policy: ConvergencePolicy, inputs: StrategyInputs): CopyStrategy {
  if (policy.strategy === 'fixed') return fixedStrategy(policy, inputs.ability);
  const { ability } = inputs;
  const s = streams(policy, inputs);
  const plain = predict(inputs, s.bandwidthBytesPerSec, inputs.dirtyRateBytesPerSec);
  const postCopyWith = (channels: number) => policy.allowPostCopy && ability.postCopy && (channels === 1 || ability.postCopyWithMultifd);
  const base = { compression: null, autoConverge: null, postCopyAfterFirstPass: false } as const;
  const dirty = `dirtying ${mibps(inputs.dirtyRateBytesPerSec)} against ${mibps(s.bandwidthBytesPerSec)} (${inputs.linkSource})`;
  const zstd = zstdOption(policy, inputs, s);

  if (zstd && zstd.prediction.converges && (!plain.converges || plain.totalTimeSec > COMPRESSION_GAIN * zstd.prediction.totalTimeSec)) {
    return {
      ...base,
      kind: 'multifd-zstd',
      multifdChannels: zstd.channels,
      compression: 'zstd',
      postCopyEnabled: postCopyWith(zstd.channels),
      reason: `${dirty}; memory compresses ${inputs.compressionRatio}:1 and ${inputs.cpuHeadroomCores} cores are idle: zstd over ${zstd.channels} channels converges in ${Math.round(zstd.prediction.totalTimeSec)} s`,
      predicted: zstd.prediction,
    };
  }
  if (plain.converges) {
    const postCopyEnabled = postCopyWith(s.channels);
    return {
      ...base,
      kind: s.channels > 1 ? 'multifd' : 'pre-copy',
      multifdChannels: s.channels,
      postCopyEnabled,
      refineAfterFirstPass: postCopyEnabled,
      reason: `${dirty}; ${s.why}; the model converges in ${plain.iterations} rounds, ${Math.round(plain.totalTimeSec)} s, ${Math.round(plain.downtimeMs)} ms downtime${postCopyEnabled ? "; checked again on the first pass's measured throughput and dirty rate" : ''}`,
      predicted: plain,
    };
  }
  const throttlePct = requiredThrottlePct(inputs.dirtyRateBytesPerSec, s.bandwidthBytesPerSec);
  const autoConverge = () => {
    const initialPct = Math.max(policy.autoConvergeInitialPct, Math.min(throttlePct, 99));
    return {
      ...base,
      kind: 'auto-converge' as const,
      multifdChannels: s.channels,
      autoConverge: { initialPct, incrementPct: policy.autoConvergeIncrementPct },
      postCopyEnabled: postCopyWith(s.channels),
      predicted: predict(inputs, s.bandwidthBytesPerSec, inputs.dirtyRateBytesPerSec * (1 - initialPct / 100)),
    };
  };
  const canAutoConverge = policy.allowAutoConverge && ability.autoConverge;
  if (canAutoConverge && throttlePct <= policy.autoConvergeMaxPct) {
    return {
      ...autoConverge(),
      reason: `${dirty}: pre-copy will not converge; a ${throttlePct} % throttle (at most ${policy.autoConvergeMaxPct} % accepted) brings it within reach, and the guest can still roll back`,
    };
  }
  if (policy.allowPostCopy && ability.postCopy) {
    // QEMU before 10.0 cannot run post-copy over multifd: the pass goes over one stream.
    const channels = ability.postCopyWithMultifd ? s.channels : 1;
    const bandwidth =
      channels === s.channels
        ? s.bandwidthBytesPerSec
        : Math.min(inputs.linkBytesPerSec, inputs.singleStreamBytesPerSec ?? inputs.linkBytesPerSec);
    const prediction = predictPostCopy(inputs, bandwidth);
    return {
      ...base,
      kind: 'post-copy-after-first-pass',
      multifdChannels: channels,
      postCopyEnabled: true,
      postCopyAfterFirstPass: true,
      reason: `${dirty}: pre-copy will not converge and would need a ${throttlePct} % throttle (more than ${policy.autoConvergeMaxPct} %); post-copy after the first full pass, about ${Math.round(prediction.totalTimeSec)} s; no roll-back once switched`,
      predicted: prediction,
    };
  }
  if (canAutoConverge) {
    return {
      ...autoConverge(),
      reason: `${dirty}: pre-copy will not converge and post-copy is not allowed; auto-converge from a ${throttlePct} % throttle`,
    };
  }
  return {
    ...base,
    kind: s.channels > 1 ? 'multifd' : 'pre-copy',
    multifdChannels: s.channels,
    postCopyEnabled: false,
    reason: `${dirty}: pre-copy will not converge, and the policy allows neither post-copy nor auto-converge; the stall detector escalates`,
    predicted: plain,
  };
}

/** Without a prediction: a fixed policy as it is; an auto policy copies plainly and leaves the rest to the stall detector. */
export function fallbackStrategy(policy: ConvergencePolicy, ability: HypervisorAbility = hypervisorAbility(null)): CopyStrategy {
  if (policy.strategy === 'fixed') return fixedStrategy(policy, ability);
  return {
    kind: 'pre-copy',
    multifdChannels: 1,
    compression: null,
    autoConverge: null,
    postCopyEnabled: policy.allowPostCopy && ability.postCopy,
    postCopyAfterFirstPass: false,
    refineAfterFirstPass: policy.allowPostCopy && ability.postCopy,
    reason:
      "no prediction before the start (see the notes): plain pre-copy; the first pass's measured throughput and dirty rate decide again, then the stall detector escalates",
    predicted: null,
  };
}
