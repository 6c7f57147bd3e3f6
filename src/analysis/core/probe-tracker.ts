import { ProbeReport } from './analysis-report';
import { maxConsecutiveGap, median, percentileSorted, rfc3550Jitter } from './stats';

// Echo requests to one target and their replies, matched by (identifier, sequence).
class ProbeTarget {
  readonly requestRelNs: number[] = [];
  /** First matching reply per request, NaN while unanswered. */
  readonly replyRelNs: number[] = [];
  private readonly pendingByKey = new Map<number, number>();
  sourceMask = 0;

  request(key: number, relNs: number): void {
    // A reused (id, seq) — the 16-bit sequence wraps — now refers to the newest request.
    this.pendingByKey.set(key, this.requestRelNs.length);
    this.requestRelNs.push(relNs);
    this.replyRelNs.push(Number.NaN);
  }

  reply(key: number, relNs: number): void {
    const index = this.pendingByKey.get(key);
    if (index === undefined) return; // its request was not captured, or this is a duplicate
    this.pendingByKey.delete(key);
    this.replyRelNs[index] = relNs;
  }
}

export class ProbeTracker {
  private readonly targets = new Map<string, ProbeTarget>();

  constructor(private readonly vmIp: string | undefined) {}

  request(dst: string, id: number, seq: number, relNs: number, sourceIndex = 0): void {
    if (this.vmIp !== undefined && dst !== this.vmIp) return;
    let target = this.targets.get(dst);
    if (target === undefined) {
      target = new ProbeTarget();
      this.targets.set(dst, target);
    }
    target.request(id * 65536 + seq, relNs);
    target.sourceMask |= 1 << Math.min(sourceIndex, 30);
  }

  reply(src: string, id: number, seq: number, relNs: number): void {
    this.targets.get(src)?.reply(id * 65536 + seq, relNs);
  }

  report(givenIntervalMs: number | undefined, warnings: string[]): ProbeReport | null {
    const name = this.pickTarget();
    if (name === null) return null;
    const target = this.targets.get(name) as ProbeTarget;
    if ((target.sourceMask & (target.sourceMask - 1)) !== 0) {
      warnings.push(`echo requests to ${name} appear in several captures: each copy counts as a request`);
    }
    return probeReport(name, target.requestRelNs, target.replyRelNs, givenIntervalMs);
  }

  /** The given VM IP, else the address that received the most echo requests (ties: lowest text). */
  private pickTarget(): string | null {
    let best: string | null = null;
    let bestCount = 0;
    for (const [name, t] of this.targets) {
      const count = t.requestRelNs.length;
      if (count > bestCount || (count === bestCount && best !== null && name < best)) {
        best = name;
        bestCount = count;
      }
    }
    return best;
  }
}

/** The probe metrics of METRICS.md from request times and reply times (NaN = no reply), both in ns. */
export function probeReport(target: string, requestRelNs: readonly number[], replyRelNs: readonly number[], givenIntervalMs: number | undefined): ProbeReport {
  const order = requestRelNs.map((_, i) => i).sort((a, b) => requestRelNs[a] - requestRelNs[b] || a - b);
  const requestGapsMs: number[] = [];
  for (let i = 1; i < order.length; i++) requestGapsMs.push((requestRelNs[order[i]] - requestRelNs[order[i - 1]]) / 1e6);
  const rttsInOrderMs: number[] = [];
  const repliesNs: number[] = [];
  for (const i of order) {
    if (Number.isNaN(replyRelNs[i])) continue;
    rttsInOrderMs.push((replyRelNs[i] - requestRelNs[i]) / 1e6);
    repliesNs.push(replyRelNs[i]);
  }
  repliesNs.sort((a, b) => a - b);
  const sent = requestRelNs.length;
  const received = rttsInOrderMs.length;
  const lost = sent - received;
  const intervalMs = givenIntervalMs ?? median(requestGapsMs);
  const gapNs = maxConsecutiveGap(repliesNs);
  const maxReplyGapMs = gapNs === null ? null : gapNs / 1e6;
  const rttSorted = [...rttsInOrderMs].sort((a, b) => a - b);
  return {
    target,
    probeIntervalMs: intervalMs,
    sent,
    received,
    lost,
    lossPct: sent === 0 ? 0 : (100 * lost) / sent,
    maxReplyGapMs,
    downtimeMs: maxReplyGapMs === null || intervalMs === null ? null : Math.max(0, maxReplyGapMs - intervalMs),
    downtimeLossMs: intervalMs === null ? null : lost * intervalMs,
    jitterMs: rfc3550Jitter(rttsInOrderMs),
    rtt: {
      avgMs: received === 0 ? null : rttsInOrderMs.reduce((a, b) => a + b, 0) / received,
      p50Ms: percentileSorted(rttSorted, 50),
      p95Ms: percentileSorted(rttSorted, 95),
      maxMs: received === 0 ? null : rttSorted[received - 1],
    },
  };
}
