import { TimelineBucket } from './analysis-report';

// Sparse buckets keep memory O(buckets with traffic); past this many the width doubles, which bounds memory
// on captures that span hours, or corrupt ones whose timestamps jump years.
const MAX_BUCKETS = 100_000;

interface Bucket {
  packets: number;
  bytes: number;
  migrationPayloadBytes: number;
}

export class Timeline {
  private widthNs: number;
  private buckets = new Map<number, Bucket>();
  private lastIndex = Number.NaN;
  private last: Bucket | undefined;

  constructor(widthMs: number) {
    this.widthNs = Math.round(widthMs * 1e6);
  }

  get widthMs(): number {
    return this.widthNs / 1e6;
  }

  /** relNs: nanoseconds since the first packet of the analysis (may be negative for out-of-order frames). */
  add(relNs: number, wireBytes: number, migrationPayloadBytes: number): void {
    const index = Math.floor(relNs / this.widthNs);
    let bucket = this.last;
    if (index !== this.lastIndex || bucket === undefined) {
      bucket = this.buckets.get(index);
      if (bucket === undefined) {
        if (this.buckets.size >= MAX_BUCKETS) {
          this.widen();
          this.add(relNs, wireBytes, migrationPayloadBytes);
          return;
        }
        bucket = { packets: 0, bytes: 0, migrationPayloadBytes: 0 };
        this.buckets.set(index, bucket);
      }
      this.lastIndex = index;
      this.last = bucket;
    }
    bucket.packets += 1;
    bucket.bytes += wireBytes;
    bucket.migrationPayloadBytes += migrationPayloadBytes;
  }

  /** Dense buckets from the first to the last, zero-filled, with start times from toEpochSec(relNs). */
  report(toEpochSec: (relNs: number) => number): TimelineBucket[] {
    if (this.buckets.size === 0) return [];
    let lo = Infinity;
    let hi = -Infinity;
    for (const index of this.buckets.keys()) {
      lo = Math.min(lo, index);
      hi = Math.max(hi, index);
    }
    while (hi - lo + 1 > MAX_BUCKETS) {
      this.widen();
      lo = Math.floor(lo / 2);
      hi = Math.floor(hi / 2);
    }
    const out: TimelineBucket[] = [];
    for (let index = lo; index <= hi; index++) {
      const b = this.buckets.get(index);
      out.push({
        ts: toEpochSec(index * this.widthNs),
        packets: b?.packets ?? 0,
        bytes: b?.bytes ?? 0,
        migrationPayloadBytes: b?.migrationPayloadBytes ?? 0,
      });
    }
    return out;
  }

  private widen(): void {
    const merged = new Map<number, Bucket>();
    for (const [index, b] of this.buckets) {
      const target = Math.floor(index / 2);
      const m = merged.get(target);
      if (m === undefined) merged.set(target, { ...b });
      else {
        m.packets += b.packets;
        m.bytes += b.bytes;
        m.migrationPayloadBytes += b.migrationPayloadBytes;
      }
    }
    this.buckets = merged;
    this.widthNs *= 2;
    this.lastIndex = Number.NaN;
    this.last = undefined;
  }
}
