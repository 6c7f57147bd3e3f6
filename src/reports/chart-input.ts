import type { ProbeReport, ProbeSeriesPoint } from '../analysis';
import type { SwitchoverGap } from '../analysis/core/switchover-window';
import type { ChartRow } from './repositories/report-columns';
import type { ChartStream, MigrationChartInput } from './migration-chart';
import { timedSteps, toSwitchoverTimeline, type SwitchoverPhase } from './switchover-view';

export type ChartSource = Pick<
  ChartRow,
  | 'instanceName'
  | 'flavorName'
  | 'sourceHostId'
  | 'destinationHostId'
  | 'state'
  | 'failureReason'
  | 'report'
  | 'netDowntimeMs'
  | 'northSouthDowntimeMs'
  | 'hvDowntimeMs'
  | 'networkSteps'
>;

/**
 * Pure: a stored migration, its hosts' names and its switchover phase become chart input. With a switchover time
 * each stream's window is the longest gap from the pause to the end of the switchover's network steps; without one (older records) it is the analyzer's longest gap.
 */
export function toChartInput(m: ChartSource, hostNames: ReadonlyMap<string, string>, phase: SwitchoverPhase | null): MigrationChartInput {
  const r = m.report;
  const timeline = toSwitchoverTimeline(m, phase);
  const raw: { name: string; series: ProbeSeriesPoint[]; probe: ProbeReport | null; stored: number | null }[] = [
    { name: 'east-west', series: r?.probeSeries ?? [], probe: r?.probe ?? null, stored: m.netDowntimeMs },
  ];
  if (r?.northSouth)
    raw.push({ name: 'north-south', series: r.northSouth.probeSeries, probe: r.northSouth.probe, stored: m.northSouthDowntimeMs });
  const streams: ChartStream[] = raw.map((s) => {
    const t = timeline?.streams.find((x) => x.stream === s.name);
    if (timeline && t)
      return { name: s.name, series: s.series, window: t.window, windowLabel: 'switchover gap', downtimeMs: t.gapMethodMs };
    return {
      name: s.name,
      series: s.series,
      window: longestGap(s.probe),
      windowLabel: 'longest reply gap (no switchover time)',
      downtimeMs: s.stored,
    };
  });
  return {
    instanceName: m.instanceName,
    flavorName: m.flavorName,
    // A host removed from the inventory since still has its id.
    sourceHost: hostNames.get(m.sourceHostId) ?? m.sourceHostId,
    destinationHost: hostNames.get(m.destinationHostId) ?? m.destinationHostId,
    timeline: r?.timeline ?? [],
    streams,
    pause: timeline?.pause ?? null,
    steps: timedSteps(m.networkSteps),
    hypervisorDowntimeMs: m.hvDowntimeMs,
    outcome: m.state === 'completed' ? null : `${m.state}${m.failureReason ? `: ${m.failureReason}` : ''}`,
  };
}

function longestGap(probe: ProbeReport | null): SwitchoverGap | null {
  if (!probe || probe.gapStartTs === null || probe.gapEndTs === null) return null;
  const gapMs = (probe.gapEndTs - probe.gapStartTs) * 1000;
  return { startTs: probe.gapStartTs, endTs: probe.gapEndTs, gapMs, downtimeMs: probe.downtimeMs, openForMs: null };
}
