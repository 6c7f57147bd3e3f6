import { describe, expect, it } from 'vitest';
import { nextResumeWaitMs, trackPostCopyProgress, type PostCopyProgressMark } from '../../../src/migration/core';

describe('post-copy stuck-link detector', () => {
  const feed = (samples: [bytes: number, atMs: number][], stallMs: number) => {
    let mark: PostCopyProgressMark | null = null;
    return samples.map(([bytes, atMs]) => {
      const read = trackPostCopyProgress(mark, bytes, atMs, stallMs);
      mark = read.mark;
      return read.stalled;
    });
  };

  it('a job whose data processed keeps rising is never stuck, however slow', () => {
    expect(
      feed(
        [
          [10, 0],
          [11, 4000],
          [12, 8000],
          [13, 12_000],
        ],
        5000,
      ),
    ).toEqual([false, false, false, false]);
  });

  it('is stuck once data processed has not risen for the window, counted from the last rise', () => {
    expect(
      feed(
        [
          [10, 0],
          [20, 1000],
          [20, 3000],
          [20, 5999],
          [20, 6000],
        ],
        5000,
      ),
    ).toEqual([false, false, false, false, true]);
  });

  it('a figure that falls back (a new job reporting from zero) is no progress', () => {
    expect(
      feed(
        [
          [100, 0],
          [5, 2000],
          [50, 5000],
        ],
        5000,
      ),
    ).toEqual([false, false, true]);
  });

  it('0 turns the detector off', () => {
    expect(
      feed(
        [
          [1, 0],
          [1, 60_000],
        ],
        0,
      ),
    ).toEqual([false, false]);
  });
});

describe('post-copy resume backoff', () => {
  const settings = { stallMs: 5000, firstBackoffMs: 500, maxBackoffMs: 4000, windowMs: 10_000 };

  it('doubles from the first wait up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => nextResumeWaitMs(a, 0, settings))).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
  });

  it('gives up when the next wait would end past the window', () => {
    expect(nextResumeWaitMs(5, 6000, settings)).toBe(4000);
    expect(nextResumeWaitMs(5, 6001, settings)).toBeNull();
    expect(nextResumeWaitMs(1, 0, { ...settings, windowMs: 0 })).toBeNull();
  });
});
