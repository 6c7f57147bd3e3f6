import { describe, expect, it } from 'vitest';
import type { ProbeSeriesPoint } from '../../../src/analysis/core/analysis-report';
import { guestReachability } from '../../../src/analysis/core/guest-reachability';
import { pauseSourceOf, pauseWindow, switchoverStepsEndTs, type PauseWindow } from '../../../src/analysis/core/pause-window';
import { switchoverGap } from '../../../src/analysis/core/switchover-window';

const T0 = 1_764_000_000;
const I = 10; // ms
/** Probes every 10 ms from T0 for `count` requests, RTT 1 ms, lost where `lost(k)` says. */
const probes = (count: number, lost: (k: number) => boolean): ProbeSeriesPoint[] =>
  Array.from({ length: count }, (_, k) => [T0 + (k * I) / 1000, lost(k) ? null : 1]);
const pauseAt = (fromMs: number, toMs: number): PauseWindow => ({
  startTs: T0 + fromMs / 1000,
  endTs: T0 + toMs / 1000,
  durationMs: toMs - fromMs,
  source: 'pause-event',
  fromEventsMs: null,
});

describe('switchoverGap', () => {
  it('takes the gap that spans the pause, not a longer one 3 s before the migration', () => {
    // 60 ms gap at 1.0 s (probes 100..105 lost), pause at 4.0–4.03 s with probes 400..403 lost (a 50 ms gap).
    const series = probes(600, (k) => (k >= 100 && k < 106) || (k >= 400 && k < 404));
    const gap = switchoverGap(series, pauseAt(4000, 4030), I);
    expect(gap?.startTs).toBeCloseTo(T0 + 3.991, 6);
    expect(gap?.endTs).toBeCloseTo(T0 + 4.041, 6);
    expect(gap?.gapMs).toBeCloseTo(50, 2);
    expect(gap?.downtimeMs).toBeCloseTo(40, 2);
    expect(gap?.openForMs).toBeNull();
  });

  it('reports an outage that never closes as open, however long the earlier gaps were', () => {
    const series = probes(1000, (k) => (k >= 100 && k < 180) || k >= 400);
    const gap = switchoverGap(series, pauseAt(4005, 4100), I);
    expect(gap?.endTs).toBeNull();
    expect(gap?.gapMs).toBeNull();
    expect(gap?.downtimeMs).toBeNull();
    expect(gap?.startTs).toBeCloseTo(T0 + 3.991, 6);
    expect(gap?.openForMs).toBeCloseTo(9990 - 3991, 2);
  });

  it('picks the longest of several silences that touch the pause, and handles a point pause', () => {
    // A stray reply at 4.05 s splits the silence 4.00–4.15 s in two; the longer half wins.
    const series = probes(600, (k) => k >= 400 && k < 415 && k !== 405);
    const gap = switchoverGap(series, pauseAt(4000, 4100), I);
    expect(gap?.startTs).toBeCloseTo(T0 + 4.051, 6);
    expect(gap?.gapMs).toBeCloseTo(100, 2);
    const point = switchoverGap(series, pauseAt(4020, 4020), I);
    expect(point?.gapMs).toBeCloseTo(60, 2);
  });

  it('is a small gap (no downtime) when no probe was lost across the pause', () => {
    const gap = switchoverGap(
      probes(600, () => false),
      pauseAt(4002, 4004),
      I,
    );
    expect(gap?.gapMs).toBeCloseTo(10, 2);
    expect(gap?.downtimeMs).toBe(0);
  });

  it('is null without requests, or when the stream ended before the pause', () => {
    expect(switchoverGap([], pauseAt(0, 10), I)).toBeNull();
    expect(
      switchoverGap(
        probes(100, () => false),
        pauseAt(5000, 5050),
        I,
      ),
    ).toBeNull();
  });

  it('is open from the first request when nothing ever answered, and has no downtime without an interval', () => {
    const gap = switchoverGap(
      probes(100, () => true),
      pauseAt(500, 520),
      I,
    );
    expect(gap).toMatchObject({ startTs: T0, endTs: null });
    expect(
      switchoverGap(
        probes(600, (k) => k === 400),
        pauseAt(4000, 4001),
        null,
      )?.downtimeMs,
    ).toBeNull();
  });
});

describe('pauseWindow', () => {
  const at = new Date((T0 + 4) * 1000);
  it('starts at the pause event and lasts the hypervisor downtime, or until the resume event', () => {
    expect(pauseWindow({ switchoverAt: at, source: 'pause-event', hvDowntimeMs: 48 })).toEqual({
      startTs: T0 + 4,
      endTs: T0 + 4.048,
      durationMs: 48,
      source: 'pause-event',
      fromEventsMs: null,
    });
    const resumed = pauseWindow({ switchoverAt: at, source: 'pause-event', hvDowntimeMs: null, resumedAt: new Date((T0 + 4.2) * 1000) });
    expect(resumed?.endTs).toBeCloseTo(T0 + 4.2, 6);
    expect(resumed?.durationMs).toBeCloseTo(200, 3);
    expect(resumed?.fromEventsMs).toBeCloseTo(200, 3);
    // Both known: the band ends at the resume event, libvirt's figure is kept as the downtime.
    const both = pauseWindow({ switchoverAt: at, source: 'pause-event', hvDowntimeMs: 48, resumedAt: new Date((T0 + 4.15) * 1000) });
    expect(both).toMatchObject({ durationMs: 48, source: 'pause-event' });
    expect(both?.endTs).toBeCloseTo(T0 + 4.15, 6);
    expect(both?.fromEventsMs).toBeCloseTo(150, 3);
  });
  it('ends at the job end when no pause event came, and is a point without a downtime', () => {
    expect(pauseWindow({ switchoverAt: at, source: 'job-end', hvDowntimeMs: 100 })).toMatchObject({ startTs: T0 + 3.9, endTs: T0 + 4 });
    expect(pauseWindow({ switchoverAt: at, source: 'pause-event', hvDowntimeMs: null })).toMatchObject({
      startTs: T0 + 4,
      endTs: T0 + 4,
      durationMs: null,
    });
    expect(pauseWindow({ switchoverAt: null, source: 'pause-event', hvDowntimeMs: 10 })).toBeNull();
  });
  it('reads the source from the switchover phase detail', () => {
    expect(pauseSourceOf('source paused (migrated) for stop-and-copy')).toBe('pause-event');
    expect(pauseSourceOf('job completed without a pause event')).toBe('job-end');
    expect(pauseSourceOf(null)).toBe('job-end');
  });
});

describe('guestReachability', () => {
  const pause = pauseAt(4000, 4050);
  it('calls a guest silent from the pause to the end of the capture unreachable, saying where and how long', () => {
    const r = guestReachability([{ name: 'east-west', series: probes(1200, (k) => k >= 400) }], pause);
    expect(r.reachable).toBe(false);
    if (!r.reachable)
      expect(r.reason).toMatch(
        /^the guest never answered again: east-west: no reply for the last 7999 ms of the capture \(800 probes\), last reply 9 ms before the pause$/,
      );
  });
  it('counts a guest that answered after the resume and then went silent (a crash) too, per stream', () => {
    const r = guestReachability(
      [
        { name: 'east-west', series: probes(1200, (k) => k >= 400 && k < 410) },
        { name: 'north-south', series: probes(1200, (k) => (k >= 400 && k < 410) || k >= 500) },
      ],
      pause,
    );
    expect(r).toEqual({
      reachable: false,
      reason: expect.stringMatching(/^the guest never answered again: north-south: .*after the pause ended$/) as unknown,
    });
  });
  it('keeps a healthy guest, a short silence at the end, a probe that never answered and a silence before the pause reachable', () => {
    expect(guestReachability([{ name: 'east-west', series: probes(1200, (k) => k >= 400 && k < 410) }], pause)).toEqual({
      reachable: true,
    });
    expect(guestReachability([{ name: 'east-west', series: probes(1200, (k) => k >= 1190) }], pause)).toEqual({ reachable: true });
    expect(guestReachability([{ name: 'east-west', series: probes(1200, () => true) }], pause)).toEqual({ reachable: true });
    expect(guestReachability([{ name: 'east-west', series: probes(300, (k) => k >= 100) }], pause)).toEqual({ reachable: true });
  });
});

describe('switchoverGap after the resume', () => {
  // The lab's shape: held replies come back in a burst just after the resume, then a longer silence while the
  // hosts sync (probes 425..454 lost), then a gap long after the switchover's steps ended (probes 700..749).
  const series = probes(900, (k) => (k >= 400 && k < 420) || (k >= 425 && k < 455) || (k >= 700 && k < 750));
  const pause = pauseAt(4000, 4080);

  it('takes the longer blackout during the network steps after the resume as the switchover gap', () => {
    const gap = switchoverGap(series, pause, I, T0 + 4.6);
    expect(gap?.startTs).toBeCloseTo(T0 + 4.241, 6);
    expect(gap?.gapMs).toBeCloseTo(310, 2);
  });

  it('ignores that blackout without the steps, and a gap after the steps ended in any case', () => {
    expect(switchoverGap(series, pause, I)?.gapMs).toBeCloseTo(210, 2);
    expect(switchoverGap(series, pause, I, T0 + 4.3)?.gapMs).toBeCloseTo(310, 2);
    expect(switchoverGap(series, pause, I, T0 + 6)?.gapMs).toBeCloseTo(310, 2);
    expect(switchoverGap(series, pause, I, T0 + 7.2)?.gapMs).toBeCloseTo(510, 2);
    expect(switchoverGap(series, pause, I, T0 + 3)?.gapMs).toBeCloseTo(210, 2);
  });
});

describe('switchoverStepsEndTs', () => {
  it('is the latest end of the switchover phase steps, ignoring the others', () => {
    const at = (s: number) => new Date((T0 + s) * 1000).toISOString();
    expect(
      switchoverStepsEndTs([
        { startedAt: at(-10), durationMs: 500, phase: 'reservation' },
        { startedAt: at(4.002), durationMs: 8, phase: 'switchover' },
        { startedAt: at(4.01), durationMs: 1500, phase: 'switchover' },
        { startedAt: at(6), durationMs: 900, phase: 'commitment' },
      ]),
    ).toBeCloseTo(T0 + 5.51, 3);
    expect(switchoverStepsEndTs([])).toBeNull();
  });
});
