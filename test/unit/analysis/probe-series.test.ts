import { describe, expect, it } from 'vitest';
import { probeSeries } from '../../../src/analysis/core/probe-tracker';
import { analyzeBuffers } from '../../support/pcap/analyze-buffer';
import { encodeCapture } from '../../support/pcap/encode-capture';
import { buildScenario, defaultScenario, type ProbeSpec } from '../../support/pcap/scenario';

// Ground truth from the scenario's own parameters: probe k is sent at startUs + k × interval.
const sentSec = (startSec: number, p: ProbeSpec, k: number): number => startSec + (p.startUs + k * p.intervalMs * 1000) / 1e6;
const replySec = (startSec: number, p: ProbeSpec, k: number): number => sentSec(startSec, p, k) + p.rttUs[k % p.rttUs.length] / 1e6;

describe('probe downtime window and series against the scenario', () => {
  it.each(['pcap-us', 'pcapng'] as const)('%s: gap replies bracket the injected outage; one point per request', async (format) => {
    const spec = defaultScenario();
    const p = spec.probe as ProbeSpec;
    const { events, truth } = buildScenario(spec);
    const report = await analyzeBuffers([encodeCapture(events, { format, link: 'ethernet' })]);
    const probe = report.probe;
    expect(probe).not.toBeNull();
    // The outage is the longest silence: its last reply before and first reply after.
    expect(probe?.gapStartTs).toBeCloseTo(replySec(spec.startSec, p, p.outageFrom - 1), 6);
    expect(probe?.gapEndTs).toBeCloseTo(replySec(spec.startSec, p, p.outageFrom + p.outageProbes), 6);
    expect(((probe?.gapEndTs ?? 0) - (probe?.gapStartTs ?? 0)) * 1000).toBeCloseTo(truth.probe?.maxReplyGapMs ?? NaN, 3);

    const series = report.probeSeries ?? [];
    expect(series).toHaveLength(p.count);
    const lost = new Set([...p.lostIndexes, ...Array.from({ length: p.outageProbes }, (_, i) => p.outageFrom + i)]);
    series.forEach(([ts, rttMs], k) => {
      expect(ts).toBeCloseTo(sentSec(spec.startSec, p, k), 6);
      expect(rttMs).toBe(lost.has(k) ? null : p.rttUs[k % p.rttUs.length] / 1000);
    });
    expect(series.filter(([, rtt]) => rtt === null)).toHaveLength(truth.probe?.lost ?? -1);
    expect(report.warnings).toEqual([]);
  });

  it('gives no window and an empty series without probes', async () => {
    const spec = { ...defaultScenario(), probe: null };
    const report = await analyzeBuffers([encodeCapture(buildScenario(spec).events, { format: 'pcap-us', link: 'ethernet' })]);
    expect(report.probe).toBeNull();
    expect(report.probeSeries).toEqual([]);
  });
});

describe('probeSeries cap', () => {
  // 1000 requests 1 ms apart, RTT 0.5 ms, a 50-probe outage at 600..649 and one 9 ms spike at 123.
  const requests = Array.from({ length: 1000 }, (_, i) => i * 1e6);
  const replies = requests.map((t, i) => (i >= 600 && i < 650 ? Number.NaN : t + (i === 123 ? 9e6 : 0.5e6)));

  it.each([
    { maxPoints: 1000, points: 1000, warned: false },
    { maxPoints: 5000, points: 1000, warned: false },
    { maxPoints: 100, points: 100, warned: true },
    { maxPoints: 7, points: 7, warned: true },
  ])('maxPoints $maxPoints keeps $points points', ({ maxPoints, points, warned }) => {
    const warnings: string[] = [];
    const series = probeSeries(requests, replies, warnings, (ns) => 1000 + ns / 1e9, maxPoints);
    expect(series).toHaveLength(points);
    expect(warnings).toHaveLength(warned ? 1 : 0);
    if (warned) expect(warnings[0]).toMatch(`from 1000 to ${points}`);
    // Time order holds, and the outage and the spike survive any downsampling.
    for (let i = 1; i < series.length; i++) expect(series[i][0]).toBeGreaterThan(series[i - 1][0]);
    expect(series.some(([ts, rtt]) => rtt === null && ts >= 1000.6 && ts < 1000.65)).toBe(true);
    if (points >= 100) expect(series.some(([, rtt]) => rtt === 9)).toBe(true);
  });

  it('is deterministic and orders requests by time, not by arrival in the capture', () => {
    const shuffled = [3e6, 1e6, 2e6];
    const replied = [3.5e6, Number.NaN, 2.25e6];
    const a = probeSeries(shuffled, replied, [], (ns) => ns / 1e9);
    expect(a).toEqual([
      [0.001, null],
      [0.002, 0.25],
      [0.003, 0.5],
    ]);
    expect(probeSeries(shuffled, replied, [], (ns) => ns / 1e9)).toEqual(a);
  });
});
