import { describe, expect, it } from 'vitest';
import type { AnalysisReport, ProbeSeriesPoint } from '../../../src/analysis';
import { composeNorthSouth, firstReplyAfter } from '../../../src/capture/north-south-report';

/** 10 ms probes from t=100 s; requests in [outageFrom, outageTo) get no reply; RTT 0.4 ms. */
function series(outageFrom: number, outageTo: number, until = 103): ProbeSeriesPoint[] {
  const out: ProbeSeriesPoint[] = [];
  for (let i = 0; 100 + i * 0.01 < until; i++) {
    const t = 100 + i * 0.01;
    out.push([t, t >= outageFrom && t < outageTo ? null : 0.4]);
  }
  return out;
}

function analysis(points: ProbeSeriesPoint[]): AnalysisReport {
  const received = points.filter((p) => p[1] !== null).length;
  return {
    probe: {
      target: '192.0.2.160',
      probeIntervalMs: 10,
      sent: points.length,
      received,
      lost: points.length - received,
      lossPct: 0,
      maxReplyGapMs: null,
      downtimeMs: null,
      downtimeLossMs: null,
      jitterMs: null,
      rtt: { minMs: 0.4, avgMs: 0.4, maxMs: 0.4, p50Ms: 0.4, p99Ms: 0.4 },
      gapStartTs: null,
      gapEndTs: null,
    },
    probeSeries: points,
  } as unknown as AnalysisReport;
}

describe('north-south report', () => {
  it('measures switchover to the first FIP reply to a request sent after it', () => {
    const points = series(101.0, 101.5);
    const report = composeNorthSouth(analysis(points), '192.0.2.160', 101.2);
    // The first request at or after 101.5 s is answered 0.4 ms later: 300.4 ms after the switchover.
    expect(report.networkConvergenceMs).toBeCloseTo(300.4, 1);
    expect(report.notes).toEqual([]);
  });

  it('ignores replies to requests sent before the switchover, even when they arrive after it', () => {
    expect(
      firstReplyAfter(
        [
          [99.9995, 1],
          [100.5, 0.5],
        ],
        100,
      ),
    ).toBeCloseTo(100.5005, 6);
  });

  it('says so when the floating IP never answered after the switchover', () => {
    const report = composeNorthSouth(analysis(series(101, 200)), '192.0.2.160', 101.2);
    expect(report.networkConvergenceMs).toBeNull();
    expect(report.notes.join(' ')).toMatch(/no reply from 192\.0\.2\.160/);
  });

  it('says so without a capture or a switchover time', () => {
    expect(composeNorthSouth(null, '192.0.2.160', 1).notes).toContain('no north-south probe capture');
    expect(composeNorthSouth(analysis(series(0, 0)), '192.0.2.160', null).notes.join(' ')).toMatch(/no switchover time/);
  });
});
