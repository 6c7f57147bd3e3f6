import type { ProbeSeriesPoint, TimelineBucket } from '../analysis';
import type { PauseWindow } from '../analysis/core/pause-window';
import type { TimedStep } from '../analysis/core/switchover-timeline';
import type { SwitchoverGap } from '../analysis/core/switchover-window';
import { niceMax, niceTicks } from './axis-ticks';
import { MARK_COLORS, num, pauseBand, probeMarks, STREAM_COLORS, stepTicks, windowMark, type Plot } from './chart-marks';
import { chartTimeRange, throughputSteps } from './chart-series';
import { escapeMarkup as esc } from './markup-escape';

/** One probe stream on the chart: its requests, its downtime window and the downtime read over it. */
export interface ChartStream {
  /** `east-west` or `north-south`. */
  name: string;
  series: readonly ProbeSeriesPoint[];
  window: SwitchoverGap | null;
  /** What the window is: the switchover's longest gap, or (no switchover time known) the longest gap anywhere. */
  windowLabel: string;
  downtimeMs: number | null;
}

/** What one migration chart shows; times are seconds since the epoch. */
export interface MigrationChartInput {
  instanceName: string;
  flavorName: string;
  sourceHost: string;
  destinationHost: string;
  timeline: readonly TimelineBucket[];
  streams: readonly ChartStream[];
  /** The guest's pause from libvirt's events; null when the record has no switchover time. */
  pause: PauseWindow | null;
  steps: readonly TimedStep[];
  hypervisorDowntimeMs: number | null;
  /** Said under the title when the migration did not simply complete (e.g. unreachable, with its reason). */
  outcome: string | null;
}

const WIDTH = 960;
const HEIGHT = 440;
const PLOT: Plot = { left: 72, right: WIDTH - 72, top: 92, bottom: HEIGHT - 70 };
const COLORS = { throughput: '#1f77b4', rtt: '#444', grid: '#e5e5e5', text: '#222' };

const ms = (v: number | null): string => (v === null ? 'n/a' : `${v.toFixed(1)} ms`);

/**
 * Pure: a self-contained SVG of one migration on one time axis — migration throughput (left axis), both probe
 * streams' RTTs (right axis) and lost probes as ticks, the hypervisor's pause as a band, the network steps as
 * numbered ticks, and each stream's downtime window: the gap that spans the pause. Every text is escaped.
 */
export function renderMigrationChart(input: MigrationChartInput): string {
  const title = `${input.instanceName} (${input.flavorName}): ${input.sourceHost} → ${input.destinationHost}`;
  const steps = throughputSteps(input.timeline, PLOT.right - PLOT.left);
  const marks: (number | null)[] = [input.pause?.startTs ?? null, input.pause?.endTs ?? null];
  for (const s of input.streams) marks.push(s.window?.startTs ?? null, s.window?.endTs ?? null);
  const range = chartTimeRange(
    steps,
    input.streams.flatMap((s) => s.series),
    marks,
  );
  const downtimes = [`hypervisor ${ms(input.hypervisorDowntimeMs)}`, ...input.streams.map((s) => `${s.name} ${ms(s.downtimeMs)}`)];
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="migration-chart" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" font-family="sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text class="chart-title" x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold" fill="${COLORS.text}">${esc(title)}</text>`,
    `<text class="downtime-label" x="${WIDTH / 2}" y="42" text-anchor="middle" fill="${COLORS.text}">downtime: ${esc(downtimes.join(' · '))}</text>`,
  ];
  if (input.outcome !== null)
    out.push(
      `<text class="outcome" x="${WIDTH / 2}" y="60" text-anchor="middle" fill="${STREAM_COLORS['east-west'].lost}" font-weight="bold">${esc(shorten(input.outcome, 140))}</text>`,
    );
  if (range === null) {
    out.push(
      `<text class="no-data" x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle" fill="${COLORS.text}">no migration stream or probes were captured</text>`,
      '</svg>',
    );
    return out.join('\n');
  }
  const x = (ts: number): number => PLOT.left + ((ts - range.fromSec) / (range.toSec - range.fromSec)) * (PLOT.right - PLOT.left);
  const mbpsTop = niceMax(Math.max(0, ...steps.map((s) => s.mbps)));
  let rttMax = 0;
  for (const s of input.streams) for (const [, rtt] of s.series) if (rtt !== null && rtt > rttMax) rttMax = rtt;
  const rttTop = niceMax(rttMax);
  const yMbps = (v: number): number => PLOT.bottom - (v / mbpsTop) * (PLOT.bottom - PLOT.top);
  const yRtt = (v: number): number => PLOT.bottom - (Math.min(v, rttTop) / rttTop) * (PLOT.bottom - PLOT.top);

  out.push(...axes(range, x, mbpsTop, yMbps, rttTop, yRtt));
  if (input.pause) out.push(pauseBand(input.pause, x, PLOT));
  for (const s of input.streams) if (s.window) out.push(...windowMark(s.name, s.window, s.windowLabel, x, PLOT));
  if (steps.length > 0) {
    const d = steps.map((s) => `L${num(x(s.tsSec))} ${num(yMbps(s.mbps))}H${num(x(s.tsSec + s.widthSec))}`).join('');
    out.push(
      `<path class="throughput" d="M${num(x(steps[0].tsSec))} ${PLOT.bottom}${d}V${PLOT.bottom}Z" fill="${COLORS.throughput}" fill-opacity="0.25" stroke="${COLORS.throughput}" stroke-width="1.2"/>`,
    );
  }
  input.streams.forEach((s, row) => out.push(...probeMarks(s.name, row, s.series, x, yRtt, PLOT)));
  out.push(...stepTicks(input.steps, input.pause, x, PLOT), ...legend(input.streams.map((s) => s.name)), '</svg>');
  return out.join('\n');
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function axes(
  range: { fromSec: number; toSec: number },
  x: (ts: number) => number,
  mbpsTop: number,
  yMbps: (v: number) => number,
  rttTop: number,
  yRtt: (v: number) => number,
): string[] {
  const out: string[] = [];
  for (const t of niceTicks(0, range.toSec - range.fromSec, 8)) {
    const px = num(x(range.fromSec + t));
    out.push(
      `<line x1="${px}" y1="${PLOT.top}" x2="${px}" y2="${PLOT.bottom}" stroke="${COLORS.grid}"/>`,
      `<text x="${px}" y="${PLOT.bottom + 16}" text-anchor="middle">${t}</text>`,
    );
  }
  for (const v of niceTicks(0, mbpsTop)) {
    const py = num(yMbps(v));
    out.push(
      `<line x1="${PLOT.left}" y1="${py}" x2="${PLOT.right}" y2="${py}" stroke="${COLORS.grid}"/>`,
      `<text x="${PLOT.left - 6}" y="${py}" dy="4" text-anchor="end" fill="${COLORS.throughput}">${v}</text>`,
    );
  }
  for (const v of niceTicks(0, rttTop)) out.push(`<text x="${PLOT.right + 6}" y="${num(yRtt(v))}" dy="4" fill="${COLORS.rtt}">${v}</text>`);
  const midY = (PLOT.top + PLOT.bottom) / 2;
  out.push(
    `<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" fill="none" stroke="#888"/>`,
    `<text class="axis-label" x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.bottom + 32}" text-anchor="middle">time since first packet (s)</text>`,
    `<text class="axis-label" transform="translate(20 ${midY}) rotate(-90)" text-anchor="middle" fill="${COLORS.throughput}">migration throughput (Mbit/s)</text>`,
    `<text class="axis-label" transform="translate(${WIDTH - 16} ${midY}) rotate(90)" text-anchor="middle" fill="${COLORS.rtt}">probe RTT (ms)</text>`,
  );
  return out;
}

function legend(streams: readonly string[]): string[] {
  const rows = [HEIGHT - 22, HEIGHT - 6];
  const box = (fill: string, opacity: number) => `<rect x="0" y="-9" width="12" height="9" fill="${fill}" fill-opacity="${opacity}"/>`;
  const items: [string, string][] = [
    [box(COLORS.throughput, 0.4), 'migration stream'],
    ...streams.flatMap((s): [string, string][] => {
      const c = STREAM_COLORS[s] ?? STREAM_COLORS['east-west'];
      return [
        [`<circle cx="6" cy="-4" r="3" fill="${c.rtt}"/>`, `${s} RTT`],
        [`<line x1="6" y1="0" x2="6" y2="-10" stroke="${c.lost}" stroke-width="1.5"/>`, `${s} lost`],
      ];
    }),
    [box(MARK_COLORS.pause, 0.35), 'hypervisor pause'],
    [box(STREAM_COLORS['east-west'].lost, 0.2), 'downtime window (switchover gap)'],
    [`<line x1="0" y1="-4" x2="12" y2="-4" stroke="${MARK_COLORS.step}" stroke-width="3"/>`, 'network step'],
  ];
  const out = ['<g class="legend" font-size="11">'];
  let col = PLOT.left;
  let row = 0;
  for (const [mark, label] of items) {
    // About 6 px per character at 11 px: enough to keep labels apart without measuring text.
    const w = 28 + label.length * 6;
    if (col + w > PLOT.right && row === 0) {
      row = 1;
      col = PLOT.left;
    }
    out.push(`<g transform="translate(${col} ${rows[row]})">${mark}<text x="16" y="0">${esc(label)}</text></g>`);
    col += w;
  }
  out.push('</g>');
  return out;
}
