// One guest, several convergence policies, one after another: the rows of bench:convergence and the lab test.
import { ControllerApi, TERMINAL, waitForMigration, type MigrationRecord } from './controller-api';
import type { LabInstance, LabInventory } from './lab-inventory';

export interface ConvergenceVariant {
  readonly name: string;
  readonly policyName: string;
  readonly policy?: Record<string, unknown>;
}

/** libvirt's own defaults: QEMU's 300 ms max downtime, nothing changed mid-job, no timeout. */
export const LIBVIRT_DEFAULTS: ConvergenceVariant = {
  name: 'libvirt-defaults',
  policyName: 'nova-default',
  policy: { maxDowntimeMs: 300, downtimeSteps: 1, downtimeDelaySecPerGiB: 0, completionTimeoutSecPerGiB: 0, progressTimeoutSec: 0 },
};

export const NAMED_POLICIES: readonly ConvergenceVariant[] = [
  { name: 'nova-default', policyName: 'nova-default' },
  { name: 'post-copy', policyName: 'post-copy' },
  { name: 'suspend-workload-if-needed', policyName: 'suspend-workload-if-needed' },
];

export const LIVEMIG_DEFAULT_VARIANT: ConvergenceVariant = { name: 'livemig-default', policyName: 'livemig-default' };

/** The same fixed pre-copy over 1, 2 and 4 multifd channels (libvirt 9.0 passes no multifd compression: no zstd row). */
export const MULTIFD_VARIANTS: readonly ConvergenceVariant[] = [1, 2, 4].map((channels) => ({
  name: `multifd-${channels}`,
  policyName: 'nova-default',
  policy: { multifdChannels: channels, completionTimeoutSecPerGiB: 0 },
}));

export interface VariantRow {
  variant: string;
  state: string;
  converged: boolean;
  /** Request to the pre-copy phase (the start of the copy). */
  startMs: number | null;
  /** The controller's request → first byte copied. */
  firstByteMs: number | null;
  totalMs: number | null;
  downtimeMs: number | null;
  iterations: number | null;
  throughputMbps: number | null;
  strategy: string | null;
  actions: string;
  unsupported: number;
}

const enteredAt = (m: MigrationRecord, phase: string) => {
  const p = m.phases.find((x) => x.phase === phase);
  return p ? Date.parse(p.enteredAt) : null;
};

export function variantRow(variant: string, m: MigrationRecord): VariantRow {
  const queued = enteredAt(m, 'queued');
  const copying = enteredAt(m, 'pre-copy');
  const processed = typeof m['hvDataProcessedBytes'] === 'number' ? m['hvDataProcessedBytes'] : null;
  const prediction = m['prediction'] as { strategy?: { choice?: { kind?: string; multifdChannels?: number } } } | null;
  const choice = prediction?.strategy?.choice;
  return {
    variant,
    state: m.state,
    converged: m.state === 'completed',
    startMs: queued !== null && copying !== null ? copying - queued : null,
    firstByteMs: typeof m['requestToFirstByteMs'] === 'number' ? Math.round(m['requestToFirstByteMs']) : null,
    totalMs: m.state === 'completed' ? m.hvTotalTimeMs : null,
    downtimeMs: m.state === 'completed' ? m.hvDowntimeMs : null,
    iterations: typeof m['hvIterations'] === 'number' ? m['hvIterations'] : null,
    throughputMbps: processed !== null && m.hvTotalTimeMs ? Math.round((processed * 8) / m.hvTotalTimeMs / 1000) : null,
    strategy: choice?.kind ? `${choice.kind}${(choice.multifdChannels ?? 1) > 1 ? `×${choice.multifdChannels}` : ''}` : null,
    actions: m.convergenceEvents
      .filter((e) => e.action !== 'start-strategy')
      .map((e) => {
        const reason = typeof e.detail['reason'] === 'string' ? `(${e.detail['reason']})` : '';
        const value = typeof e.detail['downtimeMs'] === 'number' ? ` ${e.detail['downtimeMs']} ms` : '';
        return `${e.action}${reason}${value} @${Math.round(e.atMs / 1000)} s${e.outcome === 'applied' ? '' : ` ${e.outcome}`}`;
      })
      .join(', '),
    unsupported: m.convergenceEvents.filter((e) => e.outcome === 'unsupported').length,
  };
}

export interface JobSample {
  elapsedMs: number;
  dataRemainingBytes: number | null;
  memoryIteration: number | null;
}

/** Requests the migration; past capMs, or once libvirt reports round `stopAtIteration`, it is aborted through the API. */
export async function runVariant(
  api: ControllerApi,
  inventory: LabInventory,
  instance: LabInstance,
  to: string,
  variant: ConvergenceVariant,
  capMs: number,
  stopAtIteration?: number,
): Promise<{ row: VariantRow; record: MigrationRecord }> {
  const res = await api.call<MigrationRecord>('POST', '/migrations', {
    instanceId: instance.instanceId,
    destinationHostId: inventory.hostIds[to],
    policyName: variant.policyName,
    ...(variant.policy ? { policy: variant.policy } : {}),
  });
  if (res.status !== 202) throw new Error(`${variant.name}: ${res.status} ${JSON.stringify(res.body)}`);
  const id = res.body.id;
  const deadline = Date.now() + capMs;
  for (;;) {
    const m = await api.ok<MigrationRecord>('GET', `/migrations/${id}`);
    if (TERMINAL.includes(m.state)) break;
    const rounds = stopAtIteration
      ? Math.max(0, ...(await api.ok<JobSample[]>('GET', `/migrations/${id}/samples`)).map((s) => s.memoryIteration ?? 0))
      : 0;
    if (Date.now() > deadline || (stopAtIteration !== undefined && rounds >= stopAtIteration)) {
      await api.call('POST', `/migrations/${id}/abort`);
      break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const record = await waitForMigration(api, id, 120_000);
  return { row: variantRow(variant.name, record), record };
}

const cell = (v: number | string | boolean | null) => (v === null ? '—' : String(v));

export function formatRows(rows: readonly VariantRow[]): string {
  const head = [
    'variant',
    'converged',
    'start ms',
    'first byte ms',
    'total ms',
    'downtime ms',
    'iterations',
    'Mbit/s',
    'strategy',
    'actions',
  ];
  const body = rows.map((r) => [
    r.variant,
    r.converged ? 'yes' : `no (${r.state})`,
    cell(r.startMs),
    cell(r.firstByteMs),
    cell(r.totalMs),
    cell(r.downtimeMs),
    cell(r.iterations),
    cell(r.throughputMbps),
    cell(r.strategy),
    r.actions || '—',
  ]);
  return [head, head.map(() => '---'), ...body].map((cols) => `| ${cols.join(' | ')} |`).join('\n');
}
