import { describe, expect, it } from 'vitest';
import { migrationProgressPct, outcomeWithoutJob } from '../../../src/migration/core';

describe('outcomeWithoutJob', () => {
  it.each([
    ['active', 'failed'],
    ['inactive', 'completed'],
    ['missing', 'completed'],
    ['error', 'failed'],
  ] as const)('source domain %s → %s', (state, outcome) => {
    expect(outcomeWithoutJob(state)).toBe(outcome);
  });
});

describe('migrationProgressPct', () => {
  it.each([
    { total: 0, remaining: 0, expected: 0 },
    { total: 1000, remaining: 1000, expected: 0 },
    { total: 1000, remaining: 254, expected: 75 },
    { total: 1000, remaining: 0, expected: 100 },
    { total: 1000, remaining: 2000, expected: 0 },
    { total: 1000, remaining: -5, expected: 100 },
  ])('$remaining of $total remaining → $expected %', ({ total, remaining, expected }) => {
    expect(migrationProgressPct(total, remaining)).toBe(expected);
  });
});
