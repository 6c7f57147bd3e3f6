// KubeVirt-style stall detection: the remaining data must keep reaching new lows, or the policy escalates at once.
import type { StallEscalation } from './policy';

export interface StallSettings {
  /** 0 disables the detector. */
  readonly windowSec: number;
  /** A new low must be at least this far below the reference to count as progress. */
  readonly minDropPct: number;
}

/** The low the remaining data must beat, and since when it has stood. */
export interface StallMark {
  readonly referenceBytes: number;
  readonly sinceSec: number;
}

export interface StallReading {
  readonly mark: StallMark;
  readonly stalled: boolean;
  /** How far the remaining data fell below the reference in this window, in percent (negative: it rose). */
  readonly dropPct: number;
}

/**
 * Pre-copy's remaining data is a saw-tooth (each round starts from what the last one dirtied), so progress is
 * judged on lows: stalled once no sample in windowSec went minDropPct below the reference.
 */
export function trackStall(mark: StallMark | null, remainingBytes: number, elapsedSec: number, settings: StallSettings): StallReading {
  if (mark === null) return { mark: { referenceBytes: remainingBytes, sinceSec: elapsedSec }, stalled: false, dropPct: 0 };
  const dropPct = mark.referenceBytes > 0 ? ((mark.referenceBytes - remainingBytes) * 100) / mark.referenceBytes : 0;
  if (dropPct >= settings.minDropPct && remainingBytes < mark.referenceBytes) {
    return { mark: { referenceBytes: remainingBytes, sinceSec: elapsedSec }, stalled: false, dropPct };
  }
  const stalled = settings.windowSec > 0 && elapsedSec - mark.sinceSec >= settings.windowSec;
  return { mark, stalled, dropPct };
}

/** After an escalation the window starts again, from the lower of the reference and now. */
export function restartStallWindow(mark: StallMark, remainingBytes: number, elapsedSec: number): StallMark {
  return { referenceBytes: Math.min(mark.referenceBytes, remainingBytes), sinceSec: elapsedSec };
}

/** What the run can still do; a step it cannot take is skipped rather than planned. */
export interface EscalationAbility {
  /** The migrate call carried the post-copy flag and the job is still in pre-copy. */
  readonly postCopy: boolean;
  /** A higher max downtime is available than the one in force. */
  readonly raiseDowntime: boolean;
  readonly pause: boolean;
}

/** The next escalation in the policy's order after `taken` of them, skipping what the run cannot do; null when none is left. */
export function nextEscalation(
  order: readonly StallEscalation[],
  taken: number,
  can: EscalationAbility,
): { step: StallEscalation; index: number } | null {
  for (let index = taken; index < order.length; index++) {
    const step = order[index];
    if (step === 'post-copy' && !can.postCopy) continue;
    if (step === 'raise-downtime' && !can.raiseDowntime) continue;
    if (step === 'pause' && !can.pause) continue;
    return { step, index };
  }
  return null;
}
