import { describe, expect, it } from 'vitest';
import { predictionError, predictPrecopy, type PrecopyInput } from '../../../src/migration/core';

const MiB = 1024 ** 2;
const base = { ramBytes: 1024 * MiB, bandwidthBytesPerSec: 100 * MiB };

describe('predictPrecopy', () => {
  it.each([
    {
      why: 'idle guest: one pass, nothing left for the stop-and-copy',
      input: { ...base, ramBytes: 512 * MiB, dirtyRateBytesPerSec: 0, maxDowntimeMs: 300 },
      expected: { converges: true, reason: null, iterations: 1, totalTimeSec: 5.12, downtimeMs: 0, transferredMiB: 512 },
    },
    {
      why: 'geometric: 1024 → 102.4 → 10.24 MiB fits 300 ms at 100 MiB/s',
      input: { ...base, dirtyRateBytesPerSec: 10 * MiB, maxDowntimeMs: 300 },
      expected: { converges: true, reason: null, iterations: 2, totalTimeSec: 11.3664, downtimeMs: 102.4, transferredMiB: 1136.64 },
    },
    {
      why: 'setup and per-round overhead lengthen rounds and so the dirtying',
      input: { ...base, dirtyRateBytesPerSec: 10 * MiB, maxDowntimeMs: 300, setupSec: 2, perIterationOverheadSec: 0.5 },
      expected: { converges: true, reason: null, iterations: 2, totalTimeSec: 14.4714, downtimeMs: 157.4, transferredMiB: 1147.14 },
    },
    {
      why: 'dirtying faster than the link still converges when the working set is small',
      input: { ...base, dirtyRateBytesPerSec: 500 * MiB, workingSetBytes: 20 * MiB, maxDowntimeMs: 300 },
      expected: { converges: true, reason: null, iterations: 1, totalTimeSec: 10.44, downtimeMs: 200, transferredMiB: 1044 },
    },
    {
      why: 'dirty rate above bandwidth with the whole RAM as working set',
      input: { ...base, dirtyRateBytesPerSec: 150 * MiB, maxDowntimeMs: 300 },
      expected: {
        converges: false,
        reason: 'dirty-rate-exceeds-bandwidth',
        iterations: 1,
        totalTimeSec: 20.48,
        downtimeMs: 10240,
        transferredMiB: 2048,
      },
    },
    {
      why: 'slow rounds re-dirty everything: no progress though the rate is below bandwidth',
      input: { ...base, dirtyRateBytesPerSec: 50 * MiB, maxDowntimeMs: 100, perIterationOverheadSec: 20 },
      expected: { converges: false, reason: 'no-progress', iterations: 1, totalTimeSec: 40.48, downtimeMs: 10240, transferredMiB: 2048 },
    },
    {
      why: 'only touched pages cost a first pass',
      input: { ...base, residentBytes: 256 * MiB, dirtyRateBytesPerSec: 10 * MiB, maxDowntimeMs: 300 },
      expected: { converges: true, reason: null, iterations: 1, totalTimeSec: 2.816, downtimeMs: 256, transferredMiB: 281.6 },
    },
    {
      // The lab saw a capped migration that never converged finish at once with ~141 ms once forced.
      why: 'stop-and-copy runs uncapped and pays a fixed switchover cost',
      input: {
        ...base,
        dirtyRateBytesPerSec: 150 * MiB,
        maxDowntimeMs: 300,
        switchoverBandwidthBytesPerSec: 1024 * MiB,
        switchoverFixedMs: 40,
      },
      expected: {
        converges: false,
        reason: 'dirty-rate-exceeds-bandwidth',
        iterations: 1,
        totalTimeSec: 11.28,
        downtimeMs: 1040,
        transferredMiB: 2048,
      },
    },
  ] as const)('$why', ({ input, expected }) => {
    const p = predictPrecopy(input);
    expect(p.converges).toBe(expected.converges);
    expect(p.reason).toBe(expected.reason);
    expect(p.iterations).toBe(expected.iterations);
    expect(p.totalTimeSec).toBeCloseTo(expected.totalTimeSec, 6);
    expect(p.downtimeMs).toBeCloseTo(expected.downtimeMs, 6);
    expect(p.transferredBytes / MiB).toBeCloseTo(expected.transferredMiB, 6);
  });

  // 90 % of the link re-dirties a 512 MiB working set: each round shrinks by 10 %,
  // reaching the 10 MiB threshold (100 ms at 100 MiB/s) after 39 rounds.
  const slow: PrecopyInput = { ...base, dirtyRateBytesPerSec: 90 * MiB, workingSetBytes: 512 * MiB, maxDowntimeMs: 100 };
  it.each([
    { maxIterations: 30, converges: false, reason: 'max-iterations', iterations: 30, remainingMiB: 512 * 0.9 ** 29 },
    { maxIterations: 50, converges: true, reason: null, iterations: 39, remainingMiB: 512 * 0.9 ** 38 },
  ])('max iterations $maxIterations', ({ maxIterations, converges, reason, iterations, remainingMiB }) => {
    const p = predictPrecopy({ ...slow, maxIterations });
    expect(p).toMatchObject({ converges, reason, iterations });
    expect(p.finalRemainingBytes / MiB).toBeCloseTo(remainingMiB, 6);
    expect(p.downtimeMs).toBeCloseTo((remainingMiB / 100) * 1000, 6);
  });

  it.each([
    { bandwidthBytesPerSec: 0 },
    { bandwidthBytesPerSec: Number.NaN },
    { ramBytes: -1 },
    { dirtyRateBytesPerSec: -1 },
    { maxDowntimeMs: -1 },
    { switchoverBandwidthBytesPerSec: 0 },
  ])('rejects %o', (bad) => {
    expect(() => predictPrecopy({ ...base, dirtyRateBytesPerSec: 0, maxDowntimeMs: 300, ...bad })).toThrow(RangeError);
  });
});

describe('predictionError', () => {
  const predicted = predictPrecopy({ ...base, dirtyRateBytesPerSec: 10 * MiB, maxDowntimeMs: 300 });

  it('reports signed absolute and relative error per figure', () => {
    const e = predictionError(predicted, { totalTimeSec: 12, downtimeMs: 80, transferredBytes: 1136.64 * MiB, iterations: 3 });
    expect(e.totalTimeSec.absolute).toBeCloseTo(-0.6336, 6);
    expect(e.totalTimeSec.relative).toBeCloseTo(-0.6336 / 12, 6);
    expect(e.downtimeMs.relative).toBeCloseTo(22.4 / 80, 6);
    expect(e.transferredBytes.relative).toBeCloseTo(0, 9);
    expect(e.iterations).toEqual({ predicted: 2, actual: 3, absolute: -1, relative: -1 / 3 });
  });

  it('gives null relative error against a zero actual and null iterations when unknown', () => {
    const e = predictionError(predicted, { totalTimeSec: 12, downtimeMs: 0, transferredBytes: 1 });
    expect(e.downtimeMs.relative).toBeNull();
    expect(e.iterations).toBeNull();
  });
});
