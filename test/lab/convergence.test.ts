// Issue 14's acceptance: a guest dirtying at least what the shaped link carries does not converge under libvirt's
// defaults, and does under livemig's default within 1.5× the fastest named policy, downtime ≤ 1 s or post-copy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLabLock, destroyGuest, labDown, labUp, shapeMigrationLink } from '../../lab';
import { LIBVIRT_DEFAULTS, LIVEMIG_DEFAULT_VARIANT, runVariant, type VariantRow } from '../../lab/cli/convergence-runs';
import { bootInstance, type LabInstance } from '../../lab/cli/lab-inventory';
import { startLabController, type LabController } from '../support/lab/lab-controller';

const LINK_MBIT = 100;
// Long enough for a converging run (post-copy: about a minute); libvirt's defaults never get there.
const CAP_MS = 150_000;
// nova-default is left out: it sits well past this cap before its first step (150 s) and never converges here.
const NAMED = [
  { name: 'post-copy', policyName: 'post-copy' },
  { name: 'suspend-workload-if-needed', policyName: 'suspend-workload-if-needed' },
];

describe('convergence on the lab: livemig-default against libvirt and the named policies', () => {
  let release: () => void;
  let lab: LabController | undefined;
  let busy: LabInstance;
  let at = 'host-a';
  const rows: VariantRow[] = [];

  const run = async (variant: { name: string; policyName: string; policy?: Record<string, unknown> }) => {
    const to = at === 'host-a' ? 'host-b' : 'host-a';
    const result = await runVariant(lab!.api, lab!.inventory, busy, to, variant, CAP_MS);
    if (result.record.state === 'completed') at = to;
    rows.push(result.row);
    console.log(JSON.stringify(result.row));
    return result;
  };

  beforeAll(async () => {
    release = await acquireLabLock();
    await labUp({ hosts: 2 });
    lab = await startLabController({ name: 'convergence', basePort: 18_300, env: { LIVEMIG_MONITOR_INTERVAL_MS: '500' } });
    busy = await bootInstance(lab.api, lab.inventory, {
      name: 'conv-busy',
      host: 'host-a',
      ip: '203.0.113.51',
      flavor: 'lab.small',
      dirtyMiB: 64,
      dirtyPauseMs: 0,
    });
    await shapeMigrationLink('host-a', LINK_MBIT);
    await shapeMigrationLink('host-b', LINK_MBIT);
  }, 300_000);

  afterAll(async () => {
    await shapeMigrationLink('host-a', null).catch(() => undefined);
    await shapeMigrationLink('host-b', null).catch(() => undefined);
    await destroyGuest('conv-busy').catch(() => undefined);
    await lab?.process.stop();
    await labDown();
    release?.();
  }, 120_000);

  it('libvirt defaults do not converge; livemig-default does, close to the fastest named policy', async () => {
    const plain = await run(LIBVIRT_DEFAULTS);
    expect(plain.row.converged, JSON.stringify(plain.row)).toBe(false);

    const named: VariantRow[] = [];
    for (const variant of NAMED) named.push((await run(variant)).row);
    const fastest = Math.min(...named.filter((r) => r.converged && r.totalMs !== null).map((r) => r.totalMs!));
    expect(Number.isFinite(fastest), JSON.stringify(named)).toBe(true);

    const mine = await run(LIVEMIG_DEFAULT_VARIANT);
    const record = mine.record;
    expect(record.state, `${record.failureReason}; ${JSON.stringify(rows)}`).toBe('completed');
    const prediction = record['prediction'] as {
      strategy: { choice: { kind: string; reason: string }; inputs: Record<string, unknown> } | null;
      postCopy: { switchedAtMs: number | null; downtimeMs: number | null; note: string } | null;
    };
    expect(prediction.strategy?.choice.kind).toBeTruthy();
    expect(prediction.strategy?.choice.reason.length).toBeGreaterThan(10);
    expect(prediction.strategy?.inputs).toMatchObject({ linkBytesPerSec: expect.any(Number), dirtyRateBytesPerSec: expect.any(Number) });
    expect(record.convergenceEvents[0]).toMatchObject({ action: 'start-strategy', outcome: 'applied' });
    expect(
      record.convergenceEvents.filter((e) => e.outcome !== 'applied'),
      JSON.stringify(record.convergenceEvents),
    ).toEqual([]);
    expect(mine.row.totalMs, JSON.stringify(rows)).not.toBeNull();
    expect(mine.row.totalMs!, JSON.stringify(rows)).toBeLessThanOrEqual(1.5 * fastest);
    const inPostCopy = prediction.postCopy?.switchedAtMs !== null && prediction.postCopy !== null;
    if (!inPostCopy) expect(mine.row.downtimeMs!, JSON.stringify(rows)).toBeLessThanOrEqual(1000);
    else expect(prediction.postCopy?.note).toMatch(/cannot be rolled back/);
  }, 900_000);
});
