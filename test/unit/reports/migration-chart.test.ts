import { describe, expect, it } from 'vitest';
import type { ProbeSeriesPoint, TimelineBucket } from '../../../src/analysis/core/analysis-report';
import { niceMax, niceTicks } from '../../../src/reports/axis-ticks';
import { throughputSteps, timelineWidthSec } from '../../../src/reports/chart-series';
import { renderMigrationChart, type MigrationChartInput } from '../../../src/reports/migration-chart';

const T0 = 1_763_780_000;
// 10 buckets of 100 ms; 1.25 MB per bucket is 100 Mbit/s.
const timeline: TimelineBucket[] = Array.from({ length: 10 }, (_, i) => ({
  ts: T0 + i / 10,
  packets: 10,
  bytes: 1_300_000,
  migrationPayloadBytes: i < 8 ? 1_250_000 : 0,
}));
// Probes every 50 ms over 1 s, RTT 2 ms, lost 8..11 (the outage).
const probes: ProbeSeriesPoint[] = Array.from({ length: 20 }, (_, k) => [T0 + k * 0.05, k >= 8 && k < 12 ? null : 2]);

const input = (over: Partial<MigrationChartInput> = {}): MigrationChartInput => ({
  instanceName: 'vm-1',
  flavorName: 'm1.small',
  sourceHost: 'compute-a',
  destinationHost: 'compute-b',
  timeline,
  probeSeries: probes,
  gapStartTs: T0 + 7 * 0.05 + 0.002,
  gapEndTs: T0 + 12 * 0.05 + 0.002,
  networkDowntimeMs: 200,
  hypervisorDowntimeMs: 48.5,
  ...over,
});

const attr = (svg: string, cls: string, name: string): number =>
  Number(new RegExp(`class="${cls}"[^>]* ${name}="([-\\d.]+)"`).exec(svg)?.[1]);

describe('renderMigrationChart', () => {
  it('draws the throughput, RTT dots, lost ticks, the window and both downtimes', () => {
    const svg = renderMigrationChart(input());
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('vm-1 (m1.small): compute-a → compute-b');
    expect(svg).toMatch(/class="downtime-label"[^>]*>downtime: network 200\.0 ms · hypervisor 48\.5 ms</);
    // Plot spans x 72..888 over 0..1 s (last bucket ends at +1 s): the window starts at 0.352 s and is 0.25 s wide.
    expect(attr(svg, 'downtime-window', 'x')).toBeCloseTo(72 + 0.352 * 816, 0);
    expect(attr(svg, 'downtime-window', 'width')).toBeCloseTo(0.25 * 816, 0);
    expect(svg.match(/class="probe-lost" d="([^"]*)"/)?.[1].match(/M/g)).toHaveLength(4);
    expect(svg.match(/class="probe-rtt" d="([^"]*)"/)?.[1].match(/M/g)).toHaveLength(16);
    // 100 Mbit/s is the axis top (y 70); the last two buckets are at 0 (y 324).
    const path = /class="throughput" d="([^"]*)"/.exec(svg)?.[1] ?? '';
    expect(path).toContain(' 70H');
    expect(path).toContain(' 324H');
    expect(svg).toContain('migration throughput (Mbit/s)');
    expect(svg).toContain('probe RTT (ms)');
    expect(svg).toContain('time since first packet (s)');
  });

  it('escapes every user text', () => {
    const svg = renderMigrationChart(input({ instanceName: '<script>alert(1)</script>', flavorName: 'a&b"', sourceHost: "o'h" }));
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt; (a&amp;b&quot;): o&#39;h → compute-b');
  });

  it('says n/a for unknown downtimes, and draws no window without a gap', () => {
    const svg = renderMigrationChart(input({ gapStartTs: null, gapEndTs: null, networkDowntimeMs: null, hypervisorDowntimeMs: null }));
    expect(svg).toContain('downtime: network n/a · hypervisor n/a');
    expect(svg).not.toContain('downtime-window');
  });

  it('says so when nothing was captured', () => {
    const svg = renderMigrationChart(input({ timeline: [], probeSeries: [], gapStartTs: null, gapEndTs: null }));
    expect(svg).toContain('class="no-data"');
    expect(svg).not.toContain('class="throughput"');
  });

  it('stays small for a 100,000-bucket timeline and 20,000 probes', () => {
    const long: TimelineBucket[] = Array.from({ length: 100_000 }, (_, i) => ({
      ts: T0 + i / 10,
      packets: 1,
      bytes: 100,
      migrationPayloadBytes: 1000,
    }));
    const many: ProbeSeriesPoint[] = Array.from({ length: 20_000 }, (_, k) => [T0 + k / 2, k % 100 === 0 ? null : 1 + (k % 7)]);
    const svg = renderMigrationChart(input({ timeline: long, probeSeries: many }));
    expect(svg.length).toBeLessThan(400_000);
    expect((/class="throughput" d="([^"]*)"/.exec(svg)?.[1].match(/H/g) ?? []).length).toBeLessThanOrEqual(816);
  });
});

describe('chart series and ticks', () => {
  it.each([
    { lo: 0, hi: 1, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] },
    { lo: 0, hi: 93, ticks: [0, 20, 40, 60, 80] },
    { lo: 0, hi: 0, ticks: [0] },
  ])('niceTicks($lo, $hi)', ({ lo, hi, ticks }) => expect(niceTicks(lo, hi)).toEqual(ticks));

  it.each([
    [93, 100],
    [100, 100],
    [0, 1],
    [0.37, 0.4],
  ])('niceMax(%d) = %d', (max, top) => expect(niceMax(max)).toBe(top));

  it('merges buckets into at most maxSteps, keeping Mbit/s', () => {
    expect(timelineWidthSec(timeline)).toBe(0.1);
    expect(timelineWidthSec([])).toBe(0.1);
    // ceil(10 / 4) = 3 buckets per step: [0..2] [3..5] [6..8] [9]; buckets 8 and 9 carry nothing.
    const steps = throughputSteps(timeline, 4);
    expect(steps.map((s) => s.mbps)).toEqual([100, 100, 200 / 3, 0].map((v) => expect.closeTo(v, 9)));
    expect(steps.map((s) => s.widthSec)).toEqual([0.3, 0.3, 0.3, 0.1].map((w) => expect.closeTo(w, 9)));
    expect(throughputSteps(timeline, 100)).toHaveLength(10);
  });
});
