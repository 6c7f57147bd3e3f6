import type { ProbeSeriesPoint } from '../analysis';
import type { PauseWindow } from '../analysis/core/pause-window';
import type { TimedStep } from '../analysis/core/switchover-timeline';
import type { SwitchoverGap } from '../analysis/core/switchover-window';
import { escapeMarkup as esc } from './markup-escape';

// The marks of one migration chart on a plot area; each returns SVG elements as strings.

export interface Plot {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export const STREAM_COLORS: Record<string, { rtt: string; lost: string }> = {
  'east-west': { rtt: '#ff7f0e', lost: '#d62728' },
  'north-south': { rtt: '#9467bd', lost: '#8c2d04' },
};
export const MARK_COLORS = { pause: '#555', step: '#2ca02c', stepFailed: '#d62728', text: '#222' };

export const num = (v: number): string => String(Math.round(v * 10) / 10);
const clamp = (v: number, plot: Plot) => Math.min(plot.right, Math.max(plot.left, v));

/** RTT dots and lost-probe ticks of one stream; the ticks of the second stream sit one row above the first's. */
export function probeMarks(
  stream: string,
  row: number,
  series: readonly ProbeSeriesPoint[],
  x: (ts: number) => number,
  yRtt: (v: number) => number,
  plot: Plot,
): string[] {
  const colors = STREAM_COLORS[stream] ?? STREAM_COLORS['east-west'];
  const dots = new Set<string>();
  const ticks = new Set<string>();
  const base = plot.bottom - row * 12;
  for (const [ts, rtt] of series) {
    if (rtt === null) ticks.add(`M${num(x(ts))} ${base}v-10`);
    else dots.add(`M${num(x(ts))} ${num(yRtt(rtt))}h0`);
  }
  const out: string[] = [];
  // One path per kind with zero-length round-capped segments: a dot each, small even for 20,000 probes.
  if (dots.size > 0)
    out.push(
      `<path class="probe-rtt" data-stream="${esc(stream)}" d="${[...dots].join('')}" stroke="${colors.rtt}" stroke-width="3.5" stroke-linecap="round" fill="none"/>`,
    );
  if (ticks.size > 0)
    out.push(
      `<path class="probe-lost" data-stream="${esc(stream)}" d="${[...ticks].join('')}" stroke="${colors.lost}" stroke-width="1.5" fill="none"/>`,
    );
  return out;
}

/** The hypervisor's pause as a grey band over the whole plot (at least 2 px wide, so a 20 ms pause shows). */
export function pauseBand(pause: PauseWindow, x: (ts: number) => number, plot: Plot): string {
  const x0 = clamp(x(pause.startTs), plot);
  const w = Math.max(2, clamp(x(pause.endTs), plot) - x0);
  const what = pause.durationMs === null ? 'no downtime reported' : `${pause.durationMs.toFixed(1)} ms`;
  const from = pause.source === 'pause-event' ? "from libvirt's pause event" : 'ending at the job end (no pause event)';
  return `<rect class="hv-pause" x="${num(x0)}" y="${plot.top}" width="${num(w)}" height="${plot.bottom - plot.top}" fill="${MARK_COLORS.pause}" fill-opacity="0.28"><title>hypervisor pause ${what}, ${from}</title></rect>`;
}

/** One stream's downtime window; an open one runs to the plot's edge, dashed, and says so. */
export function windowMark(stream: string, gap: SwitchoverGap, label: string, x: (ts: number) => number, plot: Plot): string[] {
  const colors = STREAM_COLORS[stream] ?? STREAM_COLORS['east-west'];
  const x0 = clamp(x(gap.startTs), plot);
  const x1 = gap.endTs === null ? plot.right : clamp(x(gap.endTs), plot);
  const w = Math.max(1, x1 - x0);
  const title =
    gap.endTs === null
      ? `${stream}: never answered again (silent ${(gap.openForMs ?? 0).toFixed(0)} ms until the capture ended)`
      : `${stream} ${label} ${(gap.gapMs ?? 0).toFixed(1)} ms (downtime ${gap.downtimeMs === null ? 'n/a' : `${gap.downtimeMs.toFixed(1)} ms`})`;
  const dash = gap.endTs === null ? ' stroke-dasharray="6 3"' : '';
  const out = [
    `<rect class="downtime-window${gap.endTs === null ? ' open' : ''}" data-stream="${esc(stream)}" x="${num(x0)}" y="${plot.top}" width="${num(w)}" height="${plot.bottom - plot.top}" fill="${colors.lost}" fill-opacity="0.12" stroke="${colors.lost}" stroke-opacity="0.7"${dash}><title>${esc(title)}</title></rect>`,
  ];
  if (gap.endTs === null)
    out.push(
      `<text class="open-outage" x="${num(Math.min(x0 + 4, plot.right - 4))}" y="${plot.top + 14}" fill="${colors.lost}" font-weight="bold">${esc(stream)}: never answered again</text>`,
    );
  return out;
}

/** Network steps as numbered ticks above the plot, a bar for each step's duration; a failed step in red. */
export function stepTicks(steps: readonly TimedStep[], pause: PauseWindow | null, x: (ts: number) => number, plot: Plot): string[] {
  const out: string[] = [];
  steps.forEach((s, i) => {
    const x0 = x(s.startTs);
    const x1 = x(s.startTs + s.durationMs / 1000);
    if (x1 < plot.left || x0 > plot.right) return;
    const color = s.ok ? MARK_COLORS.step : MARK_COLORS.stepFailed;
    const y = plot.top - 4 - (i % 2) * 9;
    const offset =
      pause === null
        ? ''
        : `, ${signed((s.startTs - pause.startTs) * 1000)} ms from the pause start, ${signed((s.startTs - pause.endTs) * 1000)} ms from its end`;
    const title = `${i + 1}. ${s.step}${s.host ? ` on ${s.host}` : ''} (${s.phase ?? 'step'}): ${s.durationMs.toFixed(0)} ms${offset}${s.ok ? '' : `, FAILED: ${s.error ?? ''}`}`;
    out.push(
      `<g class="network-step" data-step="${esc(s.step)}"><title>${esc(title)}</title>` +
        `<line x1="${num(clamp(x0, plot))}" y1="${plot.top}" x2="${num(clamp(x0, plot))}" y2="${plot.bottom}" stroke="${color}" stroke-opacity="0.5" stroke-dasharray="2 3"/>` +
        `<line x1="${num(clamp(x0, plot))}" y1="${y}" x2="${num(Math.max(clamp(x1, plot), clamp(x0, plot) + 2))}" y2="${y}" stroke="${color}" stroke-width="3"/>` +
        `<text x="${num(clamp(x0, plot))}" y="${y - 3}" font-size="9" fill="${color}">${i + 1}</text></g>`,
    );
  });
  return out;
}

function signed(v: number): string {
  return `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(0)}`;
}
