import { describe, expect, it } from 'vitest';
import {
  completionTimeoutSec,
  GiB,
  migrationDataGiB,
  progressTimedOut,
  shouldTriggerTimeoutAction,
  trackProgress,
} from '../../../src/migration/core';

describe('migrationDataGiB', () => {
  it.each([
    { ramMiB: 512, diskBytes: 0, expected: 2 },
    { ramMiB: 2048, diskBytes: 0, expected: 2 },
    { ramMiB: 4096, diskBytes: 0, expected: 4 },
    { ramMiB: 8192, diskBytes: 20 * GiB, expected: 28 },
    { ramMiB: 64, diskBytes: GiB / 2, expected: 2.5 },
  ])('$ramMiB MiB RAM + $diskBytes B disk → $expected GiB', ({ ramMiB, diskBytes, expected }) => {
    expect(migrationDataGiB(ramMiB, diskBytes)).toBe(expected);
  });
});

describe('completionTimeoutSec', () => {
  it.each([
    { perGiB: 800, gib: 3, expected: 2400 },
    { perGiB: 150, gib: 2.5, expected: 375 },
    { perGiB: 150, gib: 2.01, expected: 301 },
    { perGiB: 0, gib: 8, expected: 0 },
  ])('$perGiB s/GiB × $gib GiB = $expected s', ({ perGiB, gib, expected }) => {
    expect(completionTimeoutSec(perGiB, gib)).toBe(expected);
  });
});

describe('shouldTriggerTimeoutAction', () => {
  it.each([
    { elapsedSec: 5000, timeoutSec: 0, mode: 'pre-copy', expected: false, why: 'disabled' },
    { elapsedSec: 5000, timeoutSec: 100, mode: 'post-copy', expected: false, why: 'post-copy is never timed out' },
    { elapsedSec: 99, timeoutSec: 100, mode: 'pre-copy', expected: false, why: 'before the timeout' },
    { elapsedSec: 100, timeoutSec: 100, mode: 'pre-copy', expected: false, why: 'at the timeout' },
    { elapsedSec: 101, timeoutSec: 100, mode: 'pre-copy', expected: true, why: 'past the timeout' },
  ] as const)('$why', ({ elapsedSec, timeoutSec, mode, expected }) => {
    expect(shouldTriggerTimeoutAction(elapsedSec, timeoutSec, mode)).toBe(expected);
  });
});

describe('progress tracking', () => {
  it('records the first sample and every new low, ignores rises and plateaus', () => {
    let mark = trackProgress(null, 1000, 0);
    expect(mark).toEqual({ lowestRemainingBytes: 1000, lastProgressAtSec: 0 });
    mark = trackProgress(mark, 800, 5);
    expect(mark).toEqual({ lowestRemainingBytes: 800, lastProgressAtSec: 5 });
    mark = trackProgress(mark, 900, 10);
    mark = trackProgress(mark, 800, 15);
    expect(mark).toEqual({ lowestRemainingBytes: 800, lastProgressAtSec: 5 });
  });

  it.each([
    { timeoutSec: 0, elapsedSec: 10_000, expected: false, why: 'disabled' },
    { timeoutSec: 150, elapsedSec: 155, expected: false, why: 'exactly at the timeout' },
    { timeoutSec: 150, elapsedSec: 156, expected: true, why: 'past the timeout' },
  ])('progressTimedOut: $why', ({ timeoutSec, elapsedSec, expected }) => {
    expect(progressTimedOut(timeoutSec, { lowestRemainingBytes: 1, lastProgressAtSec: 5 }, elapsedSec)).toBe(expected);
  });
});
