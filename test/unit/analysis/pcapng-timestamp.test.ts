import { describe, expect, it } from 'vitest';
import { splitTimestamp, unitsPerSecond } from '../../../src/analysis/format/pcapng-timestamp';

function viaBigInt(units: bigint, per: bigint): { sec: number; ns: number } {
  return { sec: Number(units / per), ns: Number(((units % per) * 1_000_000_000n) / per) };
}

describe('unitsPerSecond (if_tsresol)', () => {
  it.each([
    [6, 1e6],
    [9, 1e9],
    [0, 1],
    [0x80 | 20, 2 ** 20],
    [0x80 | 60, null],
    [16, null],
  ])('%d -> %j', (resol, expected) => expect(unitsPerSecond(resol)).toBe(expected));
});

describe('splitTimestamp keeps whole nanoseconds', () => {
  const cases: [string, bigint, number][] = [
    ['µs, today', 1_763_780_000_123_456n, 1e6],
    ['ns, today (long division path)', 1_763_780_000_123_456_789n, 1e9],
    ['ns, last ns of a second', 1_763_780_000_999_999_999n, 1e9],
    ['100 ns units', 17_637_800_001_234_567n, 1e7],
    ['2^-20 s units', 1_763_780_000n * 1_048_576n + 524_288n, 2 ** 20],
    ['ps units (BigInt path)', 1_763_780_000_123_456_789_000n % (1n << 64n), 1e12],
    ['zero', 0n, 1e9],
  ];
  it.each(cases)('%s', (_name, units, per) => {
    const out = { sec: 0, ns: 0 };
    splitTimestamp(Number(units >> 32n), Number(units & 0xffffffffn), per, out);
    expect(out).toEqual(viaBigInt(units, BigInt(per)));
  });
});
