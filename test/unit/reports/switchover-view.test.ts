import { describe, expect, it } from 'vitest';
import type { ProbeReport, ProbeSeriesPoint } from '../../../src/analysis/core/analysis-report';
import type { MigrationNetworkReport } from '../../../src/capture/migration-report';
import { toChartInput, type ChartSource } from '../../../src/reports/chart-input';
import { aggregateByFlavor } from '../../../src/reports/flavor-aggregates';
import { toFigures } from '../../../src/reports/flavor-figures';
import { renderReportPage } from '../../../src/reports/report-page';
import type { FiguresRow } from '../../../src/reports/repositories/report-columns';
import { renderSwitchoverSection } from '../../../src/reports/switchover-section';
import { toSwitchoverTimeline } from '../../../src/reports/switchover-view';

const T0 = 1_764_000_000;
const I = 10;
const probes = (count: number, lost: (k: number) => boolean): ProbeSeriesPoint[] =>
  Array.from({ length: count }, (_, k) => [T0 + (k * I) / 1000, lost(k) ? null : 1]);
// The analyzer's longest gap is an unrelated 60 ms silence at 1.0 s (probes 100..105); the pause is at 4.0 s.
const earlyGap = { gapStartTs: T0 + 0.991, gapEndTs: T0 + 1.061, downtimeMs: 60 };
const probe = (over: Partial<ProbeReport> = {}) => ({ probeIntervalMs: I, ...earlyGap, ...over }) as ProbeReport;

function stored(eastWest: ProbeSeriesPoint[], northSouth: ProbeSeriesPoint[]): MigrationNetworkReport {
  return {
    figures: {} as MigrationNetworkReport['figures'],
    streams: [],
    rpc: [],
    probe: probe(),
    tcpEcho: [],
    timeline: [],
    probeSeries: eastWest,
    packets: { migration: 0, probe: 0 },
    northSouth: { floatingIp: '192.0.2.130', probe: probe(), probeSeries: northSouth, networkConvergenceMs: null, notes: [] },
    notes: [],
  };
}

const row = (over: Partial<ChartSource> = {}): ChartSource => ({
  instanceName: 'vm-1',
  flavorName: 'lab.tiny',
  sourceHostId: 'h-a',
  destinationHostId: 'h-b',
  state: 'completed',
  failureReason: null,
  report: stored(
    probes(800, (k) => (k >= 100 && k < 106) || (k >= 400 && k < 404)),
    probes(800, (k) => (k >= 100 && k < 106) || k === 390 || (k >= 400 && k < 430)),
  ),
  netDowntimeMs: 40,
  northSouthDowntimeMs: 300,
  hvDowntimeMs: 30,
  networkSteps: [
    { step: 'activate-binding', startedAt: new Date((T0 + 4.002) * 1000).toISOString(), durationMs: 8, ok: true, phase: 'switchover' },
    {
      step: 'sync host-b',
      host: 'host-b',
      startedAt: new Date((T0 + 4.01) * 1000).toISOString(),
      durationMs: 250,
      ok: true,
      phase: 'switchover',
    },
  ],
  ...over,
});
const phase = { enteredAt: new Date((T0 + 4) * 1000), detail: 'source paused (migrated) for stop-and-copy' };

describe('the stored switchover, read as an analyst would', () => {
  it('builds the timeline from the record: steps against the pause, lost probes per stream and place', () => {
    const t = toSwitchoverTimeline(row(), phase);
    expect(t?.pause).toMatchObject({ startTs: T0 + 4, durationMs: 30, source: 'pause-event' });
    expect(t?.steps.map((s) => [s.step, Math.round(s.startFromPauseStartMs), Math.round(s.endFromPauseEndMs)])).toEqual([
      ['activate-binding', 2, -20],
      ['sync host-b', 10, 230],
    ]);
    const [ew, ns] = t?.streams ?? [];
    expect(ew.lost).toMatchObject({ before: 6, inside: 4, after: 0, total: 10 });
    expect(ew.gapMethodMs).toBeCloseTo(40, 2);
    expect(ns.lost).toMatchObject({ before: 7, inside: 4, after: 26, total: 37 });
    expect(ns.explanation).toContain('mtr method 370 ms');
    expect(toSwitchoverTimeline(row(), null)).toBeNull();
    expect(toSwitchoverTimeline(row({ report: null }), phase)).toBeNull();
  });

  it('gives the chart both streams with the window spanning the pause, not the earlier longer gap', () => {
    const chart = toChartInput(row(), new Map([['h-a', 'host-a']]), phase);
    expect(chart.streams.map((s) => s.name)).toEqual(['east-west', 'north-south']);
    expect(chart.streams[0].window?.startTs).toBeCloseTo(T0 + 3.991, 6);
    expect(chart.streams[0].windowLabel).toBe('switchover gap');
    expect(chart.pause?.endTs).toBeCloseTo(T0 + 4.03, 6);
    expect(chart.steps).toHaveLength(2);
    expect(chart.sourceHost).toBe('host-a');
    expect(chart.outcome).toBeNull();
    // An older record without a switchover time falls back to the analyzer's longest gap, and says so.
    const old = toChartInput(row(), new Map(), null);
    expect(old.streams[0]).toMatchObject({
      window: { startTs: earlyGap.gapStartTs },
      windowLabel: 'longest reply gap (no switchover time)',
      downtimeMs: 40,
    });
    expect(old.pause).toBeNull();
  });

  it('shows the timeline tables and the explanation, and an unreachable migration with its reason', () => {
    const section = renderSwitchoverSection(toSwitchoverTimeline(row(), phase));
    expect(section).toContain('hypervisor pause: 30.0 ms from libvirt&#39;s pause event');
    expect(section).toMatch(/<tr class="ok" data-step="sync host-b"><td>2<\/td>.*<td data-offset="start-from-pause-start">\+10<\/td>/);
    expect(section).toMatch(/<tr data-stream="north-south">.*<td data-lost="after">26<\/td>.*<td data-method="mtr">370<\/td>/);
    expect(section).toContain('<p class="explanation" data-stream="east-west"><b>east-west</b>: gap method 40 ms');
    expect(section).toContain('the switchover&#39;s network steps ended +260 ms from the pause start');
    expect(renderSwitchoverSection(null)).toContain('no switchover timeline');

    const reason = 'the guest never answered again: east-west: no reply for the last 3999 ms of the capture (400 probes)';
    const gone = row({ state: 'unreachable', failureReason: reason });
    const html = renderReportPage({
      generatedAt: new Date(0),
      flavors: [],
      migrations: [
        {
          id: 'm-1',
          instanceName: 'vm-1',
          flavorName: 'lab.tiny',
          finishedAt: null,
          state: 'unreachable',
          failureReason: reason,
          reportState: 'ready',
          reportError: null,
          chart: toChartInput(gone, new Map(), phase),
          timeline: toSwitchoverTimeline(gone, phase),
          pathChanges: null,
          copy: null,
        },
      ],
    });
    expect(html).toContain(`<p class="outcome" data-state="unreachable">unreachable: ${reason}</p>`);
    expect(html).toContain('class="outcome"');
    expect(html).toContain('<div class="switchover-timeline">');
  });

  it('gives the per-flavor difference network − hypervisor per path, p50 and p95', () => {
    const fig = (ew: number, ns: number | null, hv: number | null) =>
      toFigures({
        flavorName: 'lab.tiny',
        flavorRamMiB: 256,
        netTotalMigrationTimeMs: 1000,
        netDowntimeMs: ew,
        netDowntimeLossMs: null,
        northSouthDowntimeMs: ns,
        hvDowntimeMs: hv,
        hvTotalTimeMs: 900,
        netLossPct: 1,
        netJitterMs: 0.1,
        netRttAvgMs: 0.5,
      } satisfies FiguresRow);
    const [tiny] = aggregateByFlavor([fig(150, 300, 100), fig(120, 1100, 100), fig(200, null, 90), fig(90, 400, null)]);
    expect(tiny.figures.eastWestMinusHvMs).toEqual({ n: 3, mean: (50 + 20 + 110) / 3, p50: 50, p95: 110, max: 110 });
    expect(tiny.figures.northSouthMinusHvMs).toMatchObject({ n: 2, p50: 200, p95: 1000 });
    const html = renderReportPage({ generatedAt: new Date(0), flavors: [tiny], migrations: [] });
    expect(html).toContain('<td data-figure="northSouthMinusHvMs" data-stat="p95">1000.0</td>');
    expect(html).toContain('north-south − hypervisor (ms)');
  });
});
