import { describe, expect, it } from 'vitest';
import { downtimeSteps, updateDowntime } from '../../../src/migration/core';

describe('downtimeSteps', () => {
  it('reproduces Nova’s documented example: 10 steps, 3 GiB, 30 s/GiB, 400 ms', () => {
    const steps = downtimeSteps({ maxDowntimeMs: 400, steps: 10, delaySecPerGiB: 30 }, 3);
    expect(steps.map((s) => [s.timeSec, s.downtimeMs])).toEqual([
      [0, 40],
      [90, 76],
      [180, 112],
      [270, 148],
      [360, 184],
      [450, 220],
      [540, 256],
      [630, 292],
      [720, 328],
      [810, 364],
      [900, 400],
    ]);
  });

  it.each([
    // Nova defaults with a 2 GiB guest: 150 s apart, 50 ms increments.
    { config: { maxDowntimeMs: 500, steps: 10, delaySecPerGiB: 75 }, gib: 2, second: [150, 95], last: [1500, 500], count: 11 },
    // Truncation like int(): 75 × 1.5 = 112.5 → 112 s, 100/3 → 33 ms.
    { config: { maxDowntimeMs: 100, steps: 3, delaySecPerGiB: 75 }, gib: 1.5, second: [112, 55], last: [336, 100], count: 4 },
    // One step with no delay: the full downtime applies from the first poll (KubeVirt-style).
    { config: { maxDowntimeMs: 300, steps: 1, delaySecPerGiB: 0 }, gib: 8, second: [0, 300], last: [0, 300], count: 2 },
  ])('$config.steps steps over $gib GiB', ({ config, gib, second, last, count }) => {
    const steps = downtimeSteps(config, gib);
    expect(steps).toHaveLength(count);
    expect([steps[1].timeSec, steps[1].downtimeMs]).toEqual(second);
    expect([steps[count - 1].timeSec, steps[count - 1].downtimeMs]).toEqual(last);
  });

  it.each([0, -1, 2.5])('rejects steps = %s', (steps) => {
    expect(() => downtimeSteps({ maxDowntimeMs: 500, steps, delaySecPerGiB: 75 }, 1)).toThrow(RangeError);
  });
});

describe('updateDowntime', () => {
  const steps = downtimeSteps({ maxDowntimeMs: 400, steps: 10, delaySecPerGiB: 30 }, 3);
  it.each([
    { elapsedSec: 0, currentMs: null, expected: null, why: 'no step is strictly past yet' },
    { elapsedSec: 0.5, currentMs: null, expected: 40, why: 'first step once time passes 0' },
    { elapsedSec: 50, currentMs: 40, expected: null, why: 'already at the current step' },
    { elapsedSec: 90, currentMs: 40, expected: null, why: 'exactly on a step time is not past it' },
    { elapsedSec: 91, currentMs: 40, expected: 76, why: 'second step' },
    { elapsedSec: 500, currentMs: 76, expected: 220, why: 'skips to the step due, not the next one' },
    { elapsedSec: 10_000, currentMs: 364, expected: 400, why: 'last step' },
    { elapsedSec: 10_000, currentMs: 400, expected: null, why: 'stays at the last step' },
  ])('$why', ({ elapsedSec, currentMs, expected }) => {
    expect(updateDowntime(steps, elapsedSec, currentMs)).toBe(expected);
  });
});
