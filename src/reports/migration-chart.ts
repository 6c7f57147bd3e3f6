import type { ProbeSeriesPoint, TimelineBucket } from '../analysis';
import { niceMax, niceTicks } from './axis-ticks';
import { chartTimeRange, throughputSteps } from './chart-series';
import { escapeMarkup as esc } from './markup-escape';

/** What one migration chart shows; times are seconds since the epoch. */
export interface MigrationChartInput {
  instanceName: string;
  flavorName: string;
  sourceHost: string;
  destinationHost: string;
  timeline: readonly TimelineBucket[];
  probeSeries: readonly ProbeSeriesPoint[];
  /** The downtime window: the replies around the largest reply gap. */
  gapStartTs: number | null;
  gapEndTs: number | null;
  networkDowntimeMs: number | null;
  hypervisorDowntimeMs: number | null;
}

const WIDTH = 960;
const HEIGHT = 380;
const PLOT = { left: 72, right: WIDTH - 72, top: 70, bottom: HEIGHT - 56 };
const COLORS = { throughput: '#1f77b4', rtt: '#ff7f0e', lost: '#d62728', window: '#d62728', grid: '#e5e5e5', text: '#222' };

const num = (v: number): string => String(Math.round(v * 10) / 10);
const ms = (v: number | null): string => (v === null ? 'n/a' : `${v.toFixed(1)} ms`);

/**
 * Pure: a self-contained SVG of one migration on one time axis — migration throughput (left axis), probe RTTs
 * (right axis), lost probes as red ticks on the time axis, the downtime window shaded. Every text is escaped.
 */
export function renderMigrationChart(input: MigrationChartInput): string {
  const title = `${input.instanceName} (${input.flavorName}): ${input.sourceHost} → ${input.destinationHost}`;
  const steps = throughputSteps(input.timeline, PLOT.right - PLOT.left);
  const range = chartTimeRange(steps, input.probeSeries, [input.gapStartTs, input.gapEndTs]);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="migration-chart" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" font-family="sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text class="chart-title" x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold" fill="${COLORS.text}">${esc(title)}</text>`,
    `<text class="downtime-label" x="${WIDTH / 2}" y="46" text-anchor="middle" fill="${COLORS.text}">downtime: network ${ms(input.networkDowntimeMs)} · hypervisor ${ms(input.hypervisorDowntimeMs)}</text>`,
  ];
  if (range === null) {
    out.push(
      `<text class="no-data" x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle" fill="${COLORS.text}">no migration stream or probes were captured</text>`,
      '</svg>',
    );
    return out.join('\n');
  }
  const x = (ts: number): number => PLOT.left + ((ts - range.fromSec) / (range.toSec - range.fromSec)) * (PLOT.right - PLOT.left);
  const mbpsTop = niceMax(Math.max(0, ...steps.map((s) => s.mbps)));
  const rtts = input.probeSeries.flatMap(([, rtt]) => (rtt === null ? [] : [rtt]));
  const rttTop = niceMax(rtts.reduce((a, b) => Math.max(a, b), 0));
  const yMbps = (v: number): number => PLOT.bottom - (v / mbpsTop) * (PLOT.bottom - PLOT.top);
  const yRtt = (v: number): number => PLOT.bottom - (Math.min(v, rttTop) / rttTop) * (PLOT.bottom - PLOT.top);

  out.push(...axes(range, x, mbpsTop, yMbps, rttTop, yRtt));
  if (input.gapStartTs !== null && input.gapEndTs !== null) {
    const x0 = x(input.gapStartTs);
    const w = Math.max(1, x(input.gapEndTs) - x0);
    out.push(
      `<rect class="downtime-window" x="${num(x0)}" y="${PLOT.top}" width="${num(w)}" height="${PLOT.bottom - PLOT.top}" fill="${COLORS.window}" fill-opacity="0.15" stroke="${COLORS.window}" stroke-opacity="0.5"><title>longest reply gap ${ms((input.gapEndTs - input.gapStartTs) * 1000)}</title></rect>`,
    );
  }
  if (steps.length > 0) {
    const d = steps.map((s) => `L${num(x(s.tsSec))} ${num(yMbps(s.mbps))}H${num(x(s.tsSec + s.widthSec))}`).join('');
    out.push(
      `<path class="throughput" d="M${num(x(steps[0].tsSec))} ${PLOT.bottom}${d}V${PLOT.bottom}Z" fill="${COLORS.throughput}" fill-opacity="0.25" stroke="${COLORS.throughput}" stroke-width="1.2"/>`,
    );
  }
  out.push(...probeMarks(input.probeSeries, x, yRtt), ...legend(), '</svg>');
  return out.join('\n');
}

function probeMarks(series: readonly ProbeSeriesPoint[], x: (ts: number) => number, yRtt: (v: number) => number): string[] {
  const dots = new Set<string>();
  const ticks = new Set<string>();
  for (const [ts, rtt] of series) {
    if (rtt === null) ticks.add(`M${num(x(ts))} ${PLOT.bottom}v-10`);
    else dots.add(`M${num(x(ts))} ${num(yRtt(rtt))}h0`);
  }
  const out: string[] = [];
  // One path per kind with zero-length round-capped segments: a dot each, small even for 20,000 probes.
  if (dots.size > 0)
    out.push(
      `<path class="probe-rtt" d="${[...dots].join('')}" stroke="${COLORS.rtt}" stroke-width="3.5" stroke-linecap="round" fill="none"/>`,
    );
  if (ticks.size > 0)
    out.push(`<path class="probe-lost" d="${[...ticks].join('')}" stroke="${COLORS.lost}" stroke-width="1.5" fill="none"/>`);
  return out;
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
    `<text class="axis-label" x="${(PLOT.left + PLOT.right) / 2}" y="${HEIGHT - 22}" text-anchor="middle">time since first packet (s)</text>`,
    `<text class="axis-label" transform="translate(20 ${midY}) rotate(-90)" text-anchor="middle" fill="${COLORS.throughput}">migration throughput (Mbit/s)</text>`,
    `<text class="axis-label" transform="translate(${WIDTH - 16} ${midY}) rotate(90)" text-anchor="middle" fill="${COLORS.rtt}">probe RTT (ms)</text>`,
  );
  return out;
}

function legend(): string[] {
  const y = HEIGHT - 8;
  return [
    `<g class="legend" font-size="11">`,
    `<rect x="${PLOT.left}" y="${y - 9}" width="12" height="9" fill="${COLORS.throughput}" fill-opacity="0.4"/><text x="${PLOT.left + 16}" y="${y}">migration stream</text>`,
    `<circle cx="${PLOT.left + 136}" cy="${y - 4}" r="3" fill="${COLORS.rtt}"/><text x="${PLOT.left + 144}" y="${y}">probe RTT</text>`,
    `<line x1="${PLOT.left + 224}" y1="${y}" x2="${PLOT.left + 224}" y2="${y - 10}" stroke="${COLORS.lost}" stroke-width="1.5"/><text x="${PLOT.left + 230}" y="${y}">lost probe</text>`,
    `<rect x="${PLOT.left + 310}" y="${y - 9}" width="12" height="9" fill="${COLORS.window}" fill-opacity="0.2"/><text x="${PLOT.left + 326}" y="${y}">downtime window (longest reply gap)</text>`,
    `</g>`,
  ];
}
