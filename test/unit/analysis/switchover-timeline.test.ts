import { describe, expect, it } from 'vitest';
import type { ProbeSeriesPoint } from '../../../src/analysis/core/analysis-report';
import type { PauseWindow } from '../../../src/analysis/core/pause-window';
import { lossPlace, MAX_RUNS, stepOffsets, streamTimeline, switchoverTimeline } from '../../../src/analysis/core/switchover-timeline';

const T0 = 1_764_000_000;
const I = 10;
const probes = (count: number, rtt: (k: number) => number | null): ProbeSeriesPoint[] =>
  Array.from({ length: count }, (_, k) => [T0 + (k * I) / 1000, rtt(k)]);
// The guest pauses at 4.000 s for 100 ms.
const pause: PauseWindow = { startTs: T0 + 4, endTs: T0 + 4.1, durationMs: 100, source: 'pause-event', fromEventsMs: null };

describe('stepOffsets', () => {
  it('places each step against the start and the end of the pause', () => {
    const [s] = stepOffsets(
      [{ step: 'sync host-b', host: 'host-b', phase: 'switchover', startTs: T0 + 4.02, durationMs: 150, ok: true, error: null }],
      pause,
    );
    expect(s.startFromPauseStartMs).toBeCloseTo(20, 2);
    expect(s.endFromPauseStartMs).toBeCloseTo(170, 2);
    expect(s.startFromPauseEndMs).toBeCloseTo(-80, 2);
    expect(s.endFromPauseEndMs).toBeCloseTo(70, 2);
    expect(s.host).toBe('host-b');
  });
});

describe('streamTimeline', () => {
  it('puts each lost probe before, inside or after the pause, and says why mtr reads more than the gap', () => {
    // Lost: 2 stray probes at 1 s (before), 399..409 around the pause (1 before, 10 inside), 430..439 (after, a second silence).
    const lostAt = (k: number) => k === 100 || k === 150 || (k >= 399 && k <= 409) || (k >= 430 && k <= 439);
    const t = streamTimeline(
      'east-west',
      probes(600, (k) => (lostAt(k) ? null : 1)),
      pause,
      I,
    );
    expect(t.lost).toEqual({ before: 3, inside: 10, after: 10, total: 23, inSwitchoverGap: 11, beforeGap: 2, afterGap: 10 });
    expect(t.mtrMethodMs).toBe(230);
    expect(t.mtrByPlaceMs).toEqual({ before: 30, inside: 100, after: 100 });
    // The silence 3.981 → 4.101 s spans the pause: 120 ms, less one interval.
    expect(t.gapMethodMs).toBeCloseTo(110, 2);
    // The pause ends at 4.1 s; the first reply after the silence arrives at 4.101 s.
    expect(t.firstReplyAfterPauseMs).toBeCloseTo(1, 2);
    expect(t.runs.map((r) => [r.place, r.count])).toEqual([
      ['before', 1],
      ['before', 1],
      ['before', 1],
      ['inside', 10],
      ['after', 10],
    ]);
    expect(t.runs[3].firstFromPauseStartMs).toBeCloseTo(0, 2);
    expect(t.runs[3].lastFromPauseStartMs).toBeCloseTo(90, 2);
    expect(t.explanation).toContain('gap method 110 ms');
    expect(t.explanation).toContain('mtr method 230 ms (23 lost × 10 ms)');
    expect(t.explanation).toContain(
      '12 lost probes fell outside the switchover gap (2 before it, 10 after it): they add 120 ms to mtr only',
    );
  });

  it('says the gap counts late replies when the silence is longer than the probes lost in it', () => {
    // Nothing lost; the replies to 400..409 are held until 4.2 s (RTTs up to 200 ms).
    const t = streamTimeline(
      'north-south',
      probes(600, (k) => (k >= 400 && k < 420 ? 200 - (k - 400) * 10 + 1 : 1)),
      pause,
      I,
    );
    expect(t.lost.total).toBe(0);
    expect(t.mtrMethodMs).toBe(0);
    expect(t.gapMethodMs).toBeGreaterThan(150);
    expect(t.explanation).toContain('replies that came late');
  });

  it('agrees when every lost probe fell in the gap, and is open for a guest that never came back', () => {
    const agree = streamTimeline(
      'east-west',
      probes(600, (k) => (k >= 400 && k < 410 ? null : 1)),
      pause,
      I,
    );
    expect(agree.explanation).toContain('the two methods agree within one interval');
    const gone = streamTimeline(
      'east-west',
      probes(600, (k) => (k >= 400 ? null : 1)),
      pause,
      I,
    );
    expect(gone.window?.endTs).toBeNull();
    expect(gone.gapMethodMs).toBeNull();
    expect(gone.explanation).toMatch(/^the guest never answered again \(silent for 1999 ms until the capture ended\)/);
  });

  it('keeps at most MAX_RUNS runs and counts the rest', () => {
    const t = streamTimeline(
      'east-west',
      probes(400, (k) => (k % 2 === 0 ? null : 1)),
      pause,
      I,
    );
    expect(t.runs).toHaveLength(MAX_RUNS);
    expect(t.runsLeftOut).toBe(200 - MAX_RUNS);
    expect(t.lost.total).toBe(200);
  });
});

describe('switchoverTimeline', () => {
  it('holds the pause, the steps and every stream', () => {
    const t = switchoverTimeline(
      pause,
      [{ step: 'activate-binding', host: null, phase: 'switchover', startTs: T0 + 4.001, durationMs: 5, ok: true, error: null }],
      [
        { stream: 'east-west', series: probes(600, () => 1), probeIntervalMs: I },
        { stream: 'north-south', series: probes(600, () => 1), probeIntervalMs: I },
      ],
    );
    expect(t.streams.map((s) => s.stream)).toEqual(['east-west', 'north-south']);
    expect(t.steps[0].startFromPauseStartMs).toBeCloseTo(1, 2);
  });
  it('places a request on the pause boundaries inside it', () => {
    expect([lossPlace(T0 + 3.999, pause), lossPlace(T0 + 4, pause), lossPlace(T0 + 4.1, pause), lossPlace(T0 + 4.101, pause)]).toEqual([
      'before',
      'inside',
      'inside',
      'after',
    ]);
  });
});
