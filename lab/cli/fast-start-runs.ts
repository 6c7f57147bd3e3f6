// Request → first byte copied, measured on an idle guest (with a port and a floating IP, or without): the
// fast-start rows of bench:convergence.
import { ControllerApi, waitForMigration, type MigrationRecord } from './controller-api';
import type { LabInstance, LabInventory } from './lab-inventory';

export interface FastStartRow {
  run: string;
  state: string;
  /** The controller's figure on the record (null on records from before it existed). */
  recordedMs: number | null;
  /** The client's clock: from sending POST /migrations to the first job sample with data processed. */
  requestToFirstByteMs: number | null;
  /** Request to the pre-copy phase (the migrate call), by the client's clock. */
  requestToMigrateCallMs: number | null;
  totalMs: number | null;
  /** The queued and pre-copy phases' details and the prediction's readings: where the time went. */
  detail: string;
}

const phaseAt = (m: MigrationRecord, phase: string) => {
  const p = m.phases.find((x) => x.phase === phase);
  return p ? Date.parse(p.enteredAt) : null;
};

/** One migration of `instance` to `to` with the named policy; the timings of its start. */
export async function fastStartRun(
  api: ControllerApi,
  inventory: LabInventory,
  instance: LabInstance,
  to: string,
  run: string,
  policyName = 'livemig-default',
): Promise<{ row: FastStartRow; record: MigrationRecord }> {
  const sentAt = Date.now();
  const res = await api.call<MigrationRecord>('POST', '/migrations', {
    instanceId: instance.instanceId,
    destinationHostId: inventory.hostIds[to],
    policyName,
  });
  if (res.status !== 202) throw new Error(`${run}: ${res.status} ${JSON.stringify(res.body)}`);
  const record = await waitForMigration(api, res.body.id, 180_000);
  const migrateCall = phaseAt(record, 'pre-copy');
  const recorded = typeof record['requestToFirstByteMs'] === 'number' ? Math.round(record['requestToFirstByteMs']) : null;
  const samples = await api.ok<{ elapsedMs: number; dataProcessedBytes: number | null }[]>('GET', `/migrations/${record.id}/samples`);
  const first = samples.find((s) => (s.dataProcessedBytes ?? 0) > 0);
  const notes = (record['prediction'] as { notes?: string[] } | null)?.notes ?? [];
  return {
    row: {
      run,
      state: record.state,
      recordedMs: recorded,
      requestToFirstByteMs: migrateCall !== null && first ? Math.round(migrateCall + first.elapsedMs - sentAt) : null,
      requestToMigrateCallMs: migrateCall !== null ? migrateCall - sentAt : null,
      totalMs: record.hvTotalTimeMs,
      detail: [
        record.phases.find((p) => p.phase === 'queued')?.detail,
        record.phases.find((p) => p.phase === 'pre-copy')?.detail?.replace(/flags [A-Z_,0-9]+; /, ''),
        notes.find((n) => n.startsWith('readings')),
        record.state === 'completed' ? null : record.failureReason,
      ]
        .filter((d): d is string => typeof d === 'string')
        .join(' · '),
    },
    record,
  };
}

const cell = (v: number | string | null) => (v === null ? '—' : String(v));

export function formatFastStartRows(rows: readonly FastStartRow[]): string {
  const head = [
    'run',
    'state',
    'request → first byte ms (recorded)',
    'same, client clock',
    'request → migrate call ms',
    'total ms',
    'where the time went',
  ];
  const body = rows.map((r) => [
    r.run,
    r.state,
    cell(r.recordedMs),
    cell(r.requestToFirstByteMs),
    cell(r.requestToMigrateCallMs),
    cell(r.totalMs),
    r.detail || '—',
  ]);
  return [head, head.map(() => '---'), ...body].map((cols) => `| ${cols.join(' | ')} |`).join('\n');
}
