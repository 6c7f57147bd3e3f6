// Converts a pcapng 64-bit timestamp (high, low words, in units of 1/unitsPerSec s) to whole seconds + nanoseconds
// without float drift. Returns false when the resolution cannot be represented.

export interface TimestampParts {
  sec: number;
  ns: number;
}

const TWO_32 = 4_294_967_296;
const TWO_21 = 2_097_152;

/** if_tsresol: high bit clear = 10^-v, set = 2^-(v & 0x7f). Returns units per second, or null when absurd. */
export function unitsPerSecond(tsresol: number): number | null {
  const exponent = tsresol & 0x7f;
  if ((tsresol & 0x80) === 0) return exponent <= 15 ? 10 ** exponent : null;
  return exponent <= 52 ? 2 ** exponent : null;
}

export function splitTimestamp(high: number, low: number, unitsPerSec: number, out: TimestampParts): void {
  let sec: number;
  let frac: number;
  if (high < TWO_21) {
    // Fits in 2^53: plain arithmetic is exact; the floor of a float quotient may be off by one, so correct it.
    const units = high * TWO_32 + low;
    sec = Math.floor(units / unitsPerSec);
    frac = units - sec * unitsPerSec;
    if (frac < 0) {
      sec -= 1;
      frac += unitsPerSec;
    } else if (frac >= unitsPerSec) {
      sec += 1;
      frac -= unitsPerSec;
    }
  } else if (unitsPerSec <= 2 ** 36) {
    // Long division in base 2^16: every partial remainder stays below 2^53 (nanosecond files land here).
    const digits = [high >>> 16, high & 0xffff, low >>> 16, low & 0xffff];
    let rem = 0;
    sec = 0;
    for (const digit of digits) {
      const cur = rem * 65536 + digit;
      const q = Math.floor(cur / unitsPerSec);
      rem = cur - q * unitsPerSec;
      sec = sec * 65536 + q;
    }
    frac = rem;
  } else {
    const units = (BigInt(high) << 32n) | BigInt(low);
    const per = BigInt(unitsPerSec);
    sec = Number(units / per);
    frac = Number(units % per);
  }
  out.sec = sec;
  out.ns =
    unitsPerSec === 1e9
      ? frac
      : unitsPerSec < 1e9 && 1e9 % unitsPerSec === 0
        ? frac * (1e9 / unitsPerSec)
        : Math.floor((frac / unitsPerSec) * 1e9);
}
