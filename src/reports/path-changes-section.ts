import type { LiveMigrationEntity } from '../migration/records/live-migration.entity';
import { escapeMarkup as esc } from './markup-escape';

export type PathChange = NonNullable<LiveMigrationEntity['pathChanges']>[number];

/** Pure: the report page's list of the peers whose path class the migration changed. */
export function renderPathChangesSection(changes: readonly PathChange[] | null): string {
  if (changes === null) return '<p class="path-changes meta">path classes: not computed for this migration</p>';
  if (changes.length === 0) return '<p class="path-changes meta">path classes: no peer changed class</p>';
  const rows = changes.map(
    (c) =>
      `<tr data-port-id="${esc(c.portId)}"><td class="text">${esc(peerLabel(c.peer))}</td><td class="text">${esc(c.from)}</td><td class="text">${esc(c.to)}</td></tr>`,
  );
  return [
    '<div class="path-changes"><p class="meta">peers whose path class changed</p><table>',
    '<thead><tr><th scope="col">peer</th><th scope="col">before</th><th scope="col">after</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody></table></div>`,
  ].join('\n');
}

function peerLabel(peer: PathChange['peer']): string {
  if (peer.kind === 'external') return 'external network';
  return `${peer.fixedIp}${peer.host === null ? '' : ` on ${peer.host}`}`;
}
