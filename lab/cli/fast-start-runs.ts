// Request → first byte copied, measured on an idle guest with a port and a floating IP (probes both ways):
// the fast-start rows of bench:convergence.
import { ControllerApi, waitForMigration, type MigrationRecord } from './controller-api';
import type { LabInstance, LabInventory } from './lab-inventory';

export interface FastStartRow {
  run: string;
  state: string;
  /** The client's clock: from sending POST /migrations to the copy's first byte as the record places it. */
  requestToFirstByteMs: number | null;
  /** The controller's figure on the record (null on records from before it existed). */
  recordedMs: number | null;
  /** Request to the pre-copy phase (the migrate call), by the client's clock. */
  requestToMigrateCallMs: number | null;
  totalMs: number | null;
  /** The queued and pre-copy phases' details: the pre-checks' time and what the copy waited for. */
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
  // By the client's clock: the first job sample with data processed, placed after the migrate call.
  const samples = await api.ok<{ elapsedMs: number; dataProcessedBytes: number | null }[]>('GET', `/migrations/${record.id}/samples`);
  const first = samples.find((s) => (s.dataProcessedBytes ?? 0) > 0);
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
        record.phases.find((p) => p.phase === 'pre-copy')?.detail,
        (record['prediction'] as { notes?: string[] } | null)?.notes?.find((n) => n.startsWith('readings')),
      ]
        .filter((d): d is string => typeof d === 'string')
        .join(' | '),
    },
    record,
  };
}

const cell = (v: number | string | null) => (v === null ? '—' : String(v));

export function formatFastStartRows(rows: readonly FastStartRow[]): string {
  const head = ['run', 'state', 'request → first byte ms (client)', 'recorded ms', 'request → migrate call ms', 'total ms'];
  const body = rows.map((r) => [
    r.run,
    r.state,
    cell(r.requestToFirstByteMs),
    cell(r.recordedMs),
    cell(r.requestToMigrateCallMs),
    cell(r.totalMs),
  ]);
  return [head, head.map(() => '---'), ...body].map((cols) => `| ${cols.join(' | ')} |`).join('\n');
}
