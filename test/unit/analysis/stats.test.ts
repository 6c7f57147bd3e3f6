import { describe, expect, it } from 'vitest';
import { maxConsecutiveGap, median, percentileSorted, rfc3550Jitter } from '../../../src/analysis/core/stats';

describe('median', () => {
  it.each([
    [[], null],
    [[5], 5],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[10, 10, 10, 250], 10],
  ])('median(%j) = %j', (values, expected) => expect(median(values)).toBe(expected));
});

describe('percentileSorted (nearest rank)', () => {
  const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  it.each([
    [[], 50, null],
    [[7], 95, 7],
    [ten, 50, 5],
    [ten, 95, 10],
    [ten, 90, 9],
    [ten, 0, 1],
    [ten, 100, 10],
  ])('%j p%d = %j', (values, p, expected) => expect(percentileSorted(values, p)).toBe(expected));
});

describe('maxConsecutiveGap', () => {
  it.each([
    [[], null],
    [[1], null],
    [[0, 10, 20, 100, 110], 80],
    [[5, 5], 0],
  ])('%j -> %j', (values, expected) => expect(maxConsecutiveGap(values)).toBe(expected));
});

describe('rfc3550Jitter', () => {
  it.each([
    [[], null],
    [[1], null],
    [[1, 1, 1], 0],
    // One step of 16 ms: J = 16/16.
    [[10, 26], 1],
    // Then back: J = 1 + (16 − 1)/16.
    [[10, 26, 10], 1 + 15 / 16],
  ])('%j -> %j', (rtts, expected) => expect(rfc3550Jitter(rtts)).toBe(expected));
});
