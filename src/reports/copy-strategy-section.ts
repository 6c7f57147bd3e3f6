import type { PrecopyRecord } from '../migration/prediction/precopy-record';
import { escapeMarkup as esc } from './markup-escape';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Pure: the report page's lines on how the copy was run: the strategy and why, post-copy and its recovery. */
export function renderCopyStrategySection(record: PrecopyRecord | null): string {
  const strategy = record?.strategy?.choice ?? null;
  if (!strategy) return '<p class="copy-strategy meta">copy strategy: not recorded for this migration</p>';
  const lines = [`<p class="meta">copy strategy: <b>${esc(strategy.kind)}</b>: ${esc(strategy.reason)}</p>`];
  const postCopy = record?.postCopy ?? null;
  if (postCopy && postCopy.switchedAtMs !== null) {
    lines.push(
      `<p class="post-copy">switched to post-copy at ${seconds(postCopy.switchedAtMs)}; from then on the migration could not be rolled back (the guest ran on the destination while pages were still pulled from the source)</p>`,
    );
  }
  const recovery = postCopy?.recovery ?? null;
  if (recovery) {
    const how = recovery.cause === 'stuck-link' ? 'no progress, paused by livemig' : 'the job failed';
    const end =
      recovery.recoveredAtMs !== null
        ? `recovered at ${seconds(recovery.recoveredAtMs)} after ${recovery.attempts} resume attempt(s)`
        : `not recovered after ${recovery.attempts} resume attempt(s)${recovery.lastError ? ` (last: ${esc(recovery.lastError)})` : ''}; the guest is split between the hosts`;
    lines.push(
      `<p class="post-copy-recovery" data-recovered="${recovery.recoveredAtMs !== null}">link lost in post-copy at ${seconds(recovery.failedAtMs)} (${how}: ${esc(recovery.error)}); ${end}</p>`,
    );
  }
  return `<div class="copy-strategy">${lines.join('\n')}</div>`;
}
