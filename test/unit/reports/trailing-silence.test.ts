import { describe, expect, it } from 'vitest';
import { trailingSilence } from '../../../src/capture/migration-report';

const series = (rtts: (number | null)[]) => rtts.map((rtt, i) => [1000 + i * 0.01, rtt] as const);

describe('trailingSilence', () => {
  it.each([
    [[0.4, 0.5, null, null, 0.4], null],
    [[0.4, null, null, null, null], null],
    [[0.4, null, null, null, null, null], { lost: 5, ms: 40 }],
    [[null, null, null, null, null, null], { lost: 6, ms: 50 }],
    [[], null],
  ])('%j → %j', (rtts, expected) => {
    const result = trailingSilence(series(rtts));
    if (expected === null) expect(result).toBeNull();
    else expect(result).toEqual({ lost: expected.lost, ms: expect.closeTo(expected.ms, 6) });
  });
});
