import { describe, expect, it } from 'vitest';
import { nextEscalation, restartStallWindow, trackStall } from '../../../src/migration/core';

const settings = { windowSec: 30, minDropPct: 10 };

describe('trackStall', () => {
  it.each([
    // [reference, since, remaining, elapsed, stalled, new reference]
    [1000, 0, 950, 29, false, 1000],
    [1000, 0, 950, 30, true, 1000],
    [1000, 0, 900, 30, false, 900],
    [1000, 0, 1200, 31, true, 1000],
    [1000, 10, 999, 39, false, 1000],
  ])('ref %d since %d s, remaining %d at %d s → stalled %s', (ref, since, remaining, elapsed, stalled, newRef) => {
    const r = trackStall({ referenceBytes: ref, sinceSec: since }, remaining, elapsed, settings);
    expect(r.stalled).toBe(stalled);
    expect(r.mark.referenceBytes).toBe(newRef);
  });

  it('the first sample sets the reference', () => {
    expect(trackStall(null, 500, 3, settings)).toEqual({ mark: { referenceBytes: 500, sinceSec: 3 }, stalled: false, dropPct: 0 });
  });

  it('never stalls with a window of 0', () => {
    expect(trackStall({ referenceBytes: 1, sinceSec: 0 }, 1, 1e6, { windowSec: 0, minDropPct: 10 }).stalled).toBe(false);
  });

  it('restarting keeps the lower reference', () => {
    expect(restartStallWindow({ referenceBytes: 1000, sinceSec: 0 }, 980, 40)).toEqual({ referenceBytes: 980, sinceSec: 40 });
    expect(restartStallWindow({ referenceBytes: 1000, sinceSec: 0 }, 1500, 40)).toEqual({ referenceBytes: 1000, sinceSec: 40 });
  });
});

describe('nextEscalation', () => {
  const all = { postCopy: true, raiseDowntime: true, pause: true };
  it.each([
    [['post-copy', 'raise-downtime', 'pause'], 0, all, 'post-copy', 0],
    [['post-copy', 'raise-downtime', 'pause'], 1, all, 'raise-downtime', 1],
    [['post-copy', 'raise-downtime', 'pause'], 0, { ...all, postCopy: false }, 'raise-downtime', 1],
    [['post-copy', 'raise-downtime', 'pause'], 0, { postCopy: false, raiseDowntime: false, pause: true }, 'pause', 2],
    [['abort'], 0, all, 'abort', 0],
  ] as const)('%j after %d → %s', (order, taken, can, step, index) => {
    expect(nextEscalation(order, taken, can)).toEqual({ step, index });
  });

  it('null once the order is used up', () => {
    expect(nextEscalation(['pause'], 1, all)).toBeNull();
    expect(nextEscalation(['post-copy'], 0, { ...all, postCopy: false })).toBeNull();
  });
});
