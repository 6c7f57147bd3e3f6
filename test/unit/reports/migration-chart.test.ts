import { describe, expect, it } from 'vitest';
import type { ProbeSeriesPoint, TimelineBucket } from '../../../src/analysis/core/analysis-report';
import { niceMax, niceTicks } from '../../../src/reports/axis-ticks';
import { throughputSteps, timelineWidthSec } from '../../../src/reports/chart-series';
import { renderMigrationChart, type ChartStream, type MigrationChartInput } from '../../../src/reports/migration-chart';

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

// The pause: 0.36–0.40 s, inside the east-west silence (replies at 0.352 and 0.602 s).
const pause = { startTs: T0 + 0.36, endTs: T0 + 0.4, durationMs: 40, source: 'pause-event' as const, fromEventsMs: null };
const gap = { startTs: T0 + 7 * 0.05 + 0.002, endTs: T0 + 12 * 0.05 + 0.002, gapMs: 250, downtimeMs: 200, openForMs: null };
const eastWest = (over: Partial<ChartStream> = {}): ChartStream => ({
  name: 'east-west',
  series: probes,
  window: gap,
  windowLabel: 'gap spanning the pause',
  downtimeMs: 200,
  ...over,
});
// North-south: probes every 50 ms with a 4 ms RTT, lost 8..15.
const nsProbes: ProbeSeriesPoint[] = Array.from({ length: 20 }, (_, k) => [T0 + k * 0.05 + 0.01, k >= 8 && k < 16 ? null : 4]);
const northSouth: ChartStream = {
  name: 'north-south',
  series: nsProbes,
  window: { startTs: T0 + 0.364, endTs: T0 + 0.814, gapMs: 450, downtimeMs: 400, openForMs: null },
  windowLabel: 'gap spanning the pause',
  downtimeMs: 400,
};

const input = (over: Partial<MigrationChartInput> = {}): MigrationChartInput => ({
  instanceName: 'vm-1',
  flavorName: 'm1.small',
  sourceHost: 'compute-a',
  destinationHost: 'compute-b',
  timeline,
  streams: [eastWest()],
  pause: null,
  steps: [],
  hypervisorDowntimeMs: 48.5,
  outcome: null,
  ...over,
});

const attr = (svg: string, cls: string, name: string): number =>
  Number(new RegExp(`class="${cls}"[^>]* ${name}="([-\\d.]+)"`).exec(svg)?.[1]);

describe('renderMigrationChart', () => {
  it('draws the throughput, RTT dots, lost ticks, the window and the downtimes', () => {
    const svg = renderMigrationChart(input());
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('vm-1 (m1.small): compute-a → compute-b');
    expect(svg).toMatch(/class="downtime-label"[^>]*>downtime: hypervisor 48\.5 ms · east-west 200\.0 ms</);
    // Plot spans x 72..888 over 0..1 s (last bucket ends at +1 s): the window starts at 0.352 s and is 0.25 s wide.
    expect(attr(svg, 'downtime-window', 'x')).toBeCloseTo(72 + 0.352 * 816, 0);
    expect(attr(svg, 'downtime-window', 'width')).toBeCloseTo(0.25 * 816, 0);
    expect(svg.match(/class="probe-lost" data-stream="east-west" d="([^"]*)"/)?.[1].match(/M/g)).toHaveLength(4);
    expect(svg.match(/class="probe-rtt" data-stream="east-west" d="([^"]*)"/)?.[1].match(/M/g)).toHaveLength(16);
    // 100 Mbit/s is the axis top (y 92); the last two buckets are at 0 (y 370).
    const path = /class="throughput" d="([^"]*)"/.exec(svg)?.[1] ?? '';
    expect(path).toContain(' 92H');
    expect(path).toContain(' 370H');
    expect(svg).toContain('migration throughput (Mbit/s)');
    expect(svg).toContain('probe RTT (ms)');
    expect(svg).toContain('time since first packet (s)');
  });

  it('draws both probe streams, the pause as a band, each window and the network steps as numbered ticks', () => {
    const steps = [
      { step: 'activate-binding', host: null, phase: 'switchover', startTs: T0 + 0.37, durationMs: 20, ok: true, error: null },
      { step: 'sync host-b', host: 'host-b', phase: 'switchover', startTs: T0 + 0.4, durationMs: 300, ok: false, error: 'timed <out>' },
      { step: 'pre-plug', host: 'host-b', phase: 'reservation', startTs: T0 - 20, durationMs: 50, ok: true, error: null },
    ];
    const svg = renderMigrationChart(input({ streams: [eastWest(), northSouth], pause, steps }));
    expect(svg).toMatch(/downtime: hypervisor 48\.5 ms · east-west 200\.0 ms · north-south 400\.0 ms/);
    expect(svg.match(/class="probe-rtt" data-stream="north-south" d="([^"]*)"/)?.[1].match(/M/g)).toHaveLength(12);
    // North-south lost ticks sit one row (12 px) above the east-west ones.
    expect(svg.match(/class="probe-lost" data-stream="north-south" d="([^"]*)"/)?.[1]).toMatch(/^M[\d.]+ 358v-10/);
    expect(attr(svg, 'hv-pause', 'x')).toBeCloseTo(72 + 0.36 * 816, 0);
    expect(attr(svg, 'hv-pause', 'width')).toBeCloseTo(0.04 * 816, 0);
    expect(svg).toContain("hypervisor pause 40.0 ms, from libvirt's pause event");
    expect(svg.match(/class="downtime-window" data-stream="[^"]+"/g)).toEqual([
      'class="downtime-window" data-stream="east-west"',
      'class="downtime-window" data-stream="north-south"',
    ]);
    // The step 20 s before the chart is left out; the failed one is red and says why, escaped.
    expect(svg.match(/class="network-step"/g)).toHaveLength(2);
    expect(svg).toContain('1. activate-binding (switchover): 20 ms, +10 ms from the pause start, −30 ms from its end');
    expect(svg).toContain(
      '2. sync host-b on host-b (switchover): 300 ms, +40 ms from the pause start, +0 ms from its end, FAILED: timed &lt;out&gt;',
    );
  });

  it('runs an open outage to the edge, dashed, says the guest never answered again, and shows the outcome', () => {
    const open = { startTs: T0 + 0.352, endTs: null, gapMs: null, downtimeMs: null, openForMs: 598 };
    const svg = renderMigrationChart(
      input({ streams: [eastWest({ window: open, downtimeMs: null })], pause, outcome: 'unreachable: the guest never answered again' }),
    );
    expect(svg).toContain('class="downtime-window open"');
    expect(attr(svg, 'downtime-window open', 'x') + attr(svg, 'downtime-window open', 'width')).toBeCloseTo(888, 0);
    expect(svg).toContain('stroke-dasharray="6 3"');
    expect(svg).toContain('east-west: never answered again</text>');
    expect(svg).toMatch(/class="outcome"[^>]*>unreachable: the guest never answered again</);
  });

  it('escapes every user text', () => {
    const svg = renderMigrationChart(input({ instanceName: '<script>alert(1)</script>', flavorName: 'a&b"', sourceHost: "o'h" }));
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt; (a&amp;b&quot;): o&#39;h → compute-b');
  });

  it('says n/a for unknown downtimes, and draws no window without a gap', () => {
    const svg = renderMigrationChart(input({ streams: [eastWest({ window: null, downtimeMs: null })], hypervisorDowntimeMs: null }));
    expect(svg).toContain('downtime: hypervisor n/a · east-west n/a');
    expect(svg).not.toContain('downtime-window');
    expect(svg).not.toContain('hv-pause');
  });

  it('says so when nothing was captured', () => {
    const svg = renderMigrationChart(input({ timeline: [], streams: [eastWest({ series: [], window: null })] }));
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
    const svg = renderMigrationChart(input({ timeline: long, streams: [eastWest({ series: many })] }));
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
