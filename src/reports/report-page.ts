import type { AggregatedFigure, FlavorAggregate } from './flavor-aggregates';
import { escapeMarkup as esc } from './markup-escape';
import type { SwitchoverTimeline } from '../analysis/core/switchover-timeline';
import { renderMigrationChart, type MigrationChartInput } from './migration-chart';
import { renderSwitchoverSection } from './switchover-section';
import { renderPathChangesSection, type PathChange } from './path-changes-section';
import { renderCopyStrategySection } from './copy-strategy-section';
import type { PrecopyRecord } from '../migration/prediction/precopy-record';

/** One recent migration on the page: its chart, or why there is none. */
export interface ReportPageMigration {
  id: string;
  instanceName: string;
  flavorName: string;
  finishedAt: Date | null;
  /** The end state; anything but `completed` is shown with its reason and is not in the flavor table. */
  state: string;
  failureReason: string | null;
  reportState: string;
  reportError: string | null;
  chart: MigrationChartInput | null;
  timeline: SwitchoverTimeline | null;
  /** The peers whose path class the move changed; null when not computed. */
  pathChanges: readonly PathChange[] | null;
  /** The strategy chosen at the start and, for post-copy, the switch and any recovery; null on old records. */
  copy: PrecopyRecord | null;
}

export interface ReportPageInput {
  generatedAt: Date;
  flavors: readonly FlavorAggregate[];
  migrations: readonly ReportPageMigration[];
}

/** The figures the page's table shows, with the digits each deserves. */
export const PAGE_FIGURES: readonly { figure: AggregatedFigure; label: string; digits: number }[] = [
  { figure: 'totalMigrationTimeMs', label: 'total migration time (ms)', digits: 1 },
  { figure: 'hvDowntimeMs', label: 'hypervisor downtime (ms)', digits: 1 },
  { figure: 'downtimeMs', label: 'east-west downtime (ms)', digits: 1 },
  { figure: 'northSouthDowntimeMs', label: 'north-south downtime (ms)', digits: 1 },
  { figure: 'eastWestMinusHvMs', label: 'east-west − hypervisor (ms)', digits: 1 },
  { figure: 'northSouthMinusHvMs', label: 'north-south − hypervisor (ms)', digits: 1 },
  { figure: 'lossPct', label: 'probe loss (%)', digits: 2 },
  { figure: 'jitterMs', label: 'jitter (ms)', digits: 3 },
];
const STATS = ['mean', 'p50', 'p95', 'max'] as const;

const STYLE = `body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;font-size:13px}
th,td{border:1px solid #ccc;padding:4px 8px}td{text-align:right;font-variant-numeric:tabular-nums}td.flavor{text-align:left}
th{background:#f3f3f3}section.migration{margin:28px 0}p.meta{color:#555;margin:4px 0}td.text{text-align:left}
p.outcome{color:#b00;font-weight:bold}tr.failed td{color:#b00}div.switchover-timeline table{margin:6px 0}p.explanation{max-width:1100px}`;

/** Pure: the analyst's page — per-flavor table (the numbers of GET /reports/flavors) and recent charts inline. */
export function renderReportPage(input: ReportPageInput): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><title>livemig reports</title>',
    `<style>${STYLE}</style></head><body>`,
    '<h1>Live-migration reports</h1>',
    `<p class="meta">generated ${esc(input.generatedAt.toISOString())}; completed migrations only in the table (an unreachable guest is not in it); downtime is the longest gap from the pause to the end of the switchover's network steps</p>`,
    '<h2>Per flavor</h2>',
    flavorTable(input.flavors),
    '<h2>Recent migrations</h2>',
    ...(input.migrations.length === 0 ? ['<p class="empty">no migrations yet</p>'] : input.migrations.map(migrationSection)),
    '</body></html>',
  ].join('\n');
}

function flavorTable(rows: readonly FlavorAggregate[]): string {
  if (rows.length === 0) return '<p class="empty">no completed migrations</p>';
  const head1 = PAGE_FIGURES.map((f) => `<th colspan="${STATS.length}" scope="colgroup">${esc(f.label)}</th>`).join('');
  const head2 = PAGE_FIGURES.map(() => STATS.map((s) => `<th scope="col">${s}</th>`).join('')).join('');
  const body = rows.map((r) => {
    const cells = PAGE_FIGURES.flatMap(({ figure, digits }) =>
      STATS.map((s) => {
        const v = r.figures[figure][s];
        return `<td data-figure="${figure}" data-stat="${s}">${v === null ? '—' : v.toFixed(digits)}</td>`;
      }),
    );
    return `<tr data-flavor="${esc(r.flavor)}"><td class="flavor">${esc(r.flavor)}</td><td data-figure="n">${r.n}</td>${cells.join('')}</tr>`;
  });
  return [
    '<table class="flavors">',
    `<thead><tr><th rowspan="2" scope="col">flavor</th><th rowspan="2" scope="col">n</th>${head1}</tr><tr>${head2}</tr></thead>`,
    `<tbody>${body.join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

function migrationSection(m: ReportPageMigration): string {
  const finished = m.finishedAt === null ? 'not finished' : `finished ${m.finishedAt.toISOString()}`;
  const body =
    m.chart !== null
      ? [renderMigrationChart(m.chart), renderSwitchoverSection(m.timeline)]
      : [`<p class="no-chart">no chart: report ${esc(m.reportState)}${m.reportError ? `: ${esc(m.reportError)}` : ''}</p>`];
  const outcome =
    m.state === 'completed'
      ? []
      : [`<p class="outcome" data-state="${esc(m.state)}">${esc(m.state)}${m.failureReason ? `: ${esc(m.failureReason)}` : ''}</p>`];
  return [
    `<section class="migration" data-migration-id="${esc(m.id)}" data-state="${esc(m.state)}">`,
    `<h3>${esc(m.instanceName)} <small>(${esc(m.flavorName)})</small></h3>`,
    `<p class="meta">migration ${esc(m.id)}, ${esc(m.state)}, ${esc(finished)}</p>`,
    ...outcome,
    renderCopyStrategySection(m.copy),
    ...body,
    renderPathChangesSection(m.pathChanges),
    '</section>',
  ].join('\n');
}
