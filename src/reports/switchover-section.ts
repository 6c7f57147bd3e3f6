import type { StreamTimeline, SwitchoverTimeline } from '../analysis/core/switchover-timeline';
import { escapeMarkup as esc } from './markup-escape';

const f0 = (v: number | null): string => (v === null ? '—' : v.toFixed(0));
const signed = (v: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(0)}`;

/** Pure: the switchover as an analyst reads it — the pause, each step against it, where the lost probes fell. */
export function renderSwitchoverSection(t: SwitchoverTimeline | null): string {
  if (t === null) return '<p class="no-timeline">no switchover timeline: the record has no switchover time or no report</p>';
  const pause =
    t.pause.durationMs === null
      ? 'the hypervisor reported no downtime: the pause is drawn as a point'
      : `${t.pause.durationMs.toFixed(1)} ms${t.pause.source === 'pause-event' ? " from libvirt's pause event" : ', ending at the job end (no pause event was seen)'}`;
  return [
    '<div class="switchover-timeline">',
    `<h4>Switchover timeline</h4>`,
    `<p class="pause">hypervisor pause: ${esc(pause)}; offsets are ms from the pause start and from its end (negative before)</p>`,
    `<p class="span">${esc(`the switchover's network steps ended ${t.stepsEndTs === null ? 'with none recorded' : `${signed((t.stepsEndTs - t.pause.startTs) * 1000)} ms from the pause start`}: the downtime window is the longest silence from the pause start to the later of that and the pause end`)}</p>`,
    stepsTable(t),
    lossTable(t.streams),
    ...t.streams.map((s) => `<p class="explanation" data-stream="${esc(s.stream)}"><b>${esc(s.stream)}</b>: ${esc(s.explanation)}</p>`),
    '</div>',
  ].join('\n');
}

function stepsTable(t: SwitchoverTimeline): string {
  if (t.steps.length === 0) return '<p class="no-steps">no network steps on the record</p>';
  const rows = t.steps.map(
    (s, i) =>
      `<tr class="${s.ok ? 'ok' : 'failed'}" data-step="${esc(s.step)}"><td>${i + 1}</td><td class="text">${esc(s.step)}</td><td class="text">${esc(s.host ?? '—')}</td><td class="text">${esc(s.phase ?? '—')}</td>` +
      `<td data-offset="start-from-pause-start">${signed(s.startFromPauseStartMs)}</td><td data-offset="end-from-pause-start">${signed(s.endFromPauseStartMs)}</td>` +
      `<td data-offset="start-from-pause-end">${signed(s.startFromPauseEndMs)}</td><td data-offset="end-from-pause-end">${signed(s.endFromPauseEndMs)}</td>` +
      `<td>${s.durationMs.toFixed(0)}</td><td class="text">${s.ok ? 'ok' : `FAILED: ${esc(s.error ?? '')}`}</td></tr>`,
  );
  return [
    '<table class="steps">',
    '<thead><tr><th rowspan="2">#</th><th rowspan="2">step</th><th rowspan="2">host</th><th rowspan="2">phase</th><th colspan="2">from pause start (ms)</th><th colspan="2">from pause end (ms)</th><th rowspan="2">duration (ms)</th><th rowspan="2">result</th></tr>',
    '<tr><th>start</th><th>end</th><th>start</th><th>end</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

function lossTable(streams: readonly StreamTimeline[]): string {
  const rows = streams.map((s) => {
    const w = s.window;
    const window = w === null ? 'none' : w.endTs === null ? `open: silent ${f0(w.openForMs)} ms` : `${f0(w.gapMs)} ms`;
    const runs = s.runs
      .map((r) => `${r.count}× ${r.place} ${signed(r.firstFromPauseStartMs)}${r.count > 1 ? `…${signed(r.lastFromPauseStartMs)}` : ''}`)
      .join(', ');
    return (
      `<tr data-stream="${esc(s.stream)}"><td class="text">${esc(s.stream)}</td>` +
      `<td data-lost="before">${s.lost.before}</td><td data-lost="inside">${s.lost.inside}</td><td data-lost="after">${s.lost.after}</td><td data-lost="total">${s.lost.total}</td>` +
      `<td data-method="gap">${f0(s.gapMethodMs)}</td><td data-method="mtr">${f0(s.mtrMethodMs)}</td>` +
      `<td data-first-reply>${s.firstReplyAfterPauseMs === null ? '—' : signed(s.firstReplyAfterPauseMs)}</td>` +
      `<td class="text">${esc(window)}</td><td class="text runs">${esc(runs)}${s.runsLeftOut > 0 ? esc(`, and ${s.runsLeftOut} more`) : ''}</td></tr>`
    );
  });
  return [
    '<table class="lost-probes">',
    '<thead><tr><th rowspan="2">stream</th><th colspan="4">lost probes (by request time)</th><th colspan="2">downtime (ms)</th><th rowspan="2">first reply from pause end (ms)</th><th rowspan="2">switchover gap</th><th rowspan="2">lost runs (ms from pause start)</th></tr>',
    '<tr><th>before pause</th><th>inside</th><th>after</th><th>total</th><th>gap method</th><th>mtr (lost × interval)</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}
