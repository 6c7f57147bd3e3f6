import type { ChartRow } from './repositories/report-columns';
import type { MigrationChartInput } from './migration-chart';

export type ChartSource = Pick<
  ChartRow,
  'instanceName' | 'flavorName' | 'sourceHostId' | 'destinationHostId' | 'report' | 'netDowntimeMs' | 'hvDowntimeMs'
>;

/** Pure: a stored migration and its hosts' names become chart input (reports stored before the series chart empty). */
export function toChartInput(m: ChartSource, hostNames: ReadonlyMap<string, string>): MigrationChartInput {
  const r = m.report;
  return {
    instanceName: m.instanceName,
    flavorName: m.flavorName,
    // A host removed from the inventory since still has its id.
    sourceHost: hostNames.get(m.sourceHostId) ?? m.sourceHostId,
    destinationHost: hostNames.get(m.destinationHostId) ?? m.destinationHostId,
    timeline: r?.timeline ?? [],
    probeSeries: r?.probeSeries ?? [],
    gapStartTs: r?.probe?.gapStartTs ?? null,
    gapEndTs: r?.probe?.gapEndTs ?? null,
    networkDowntimeMs: m.netDowntimeMs,
    hypervisorDowntimeMs: m.hvDowntimeMs,
  };
}
