// Issue 14's acceptance: a guest dirtying at least what the shaped link carries does not converge under libvirt's
// defaults, and does under livemig's default within 1.5× the fastest named policy, downtime ≤ 1 s or post-copy.
// Kept short for CI: a 256 MiB guest (a first pass of seconds, not of a minute), libvirt's defaults stopped as soon
// as their rounds prove they make no progress, and one named policy, post-copy, the fastest of them on this
// guest (bench:convergence runs them all: suspend-workload-if-needed took 135–151 s, nova-default never finished).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLabLock, destroyGuest, labDown, labUp, shapeMigrationLink } from '../../lab';
import { LIBVIRT_DEFAULTS, LIVEMIG_DEFAULT_VARIANT, runVariant, type JobSample, type VariantRow } from '../../lab/cli/convergence-runs';
import { bootInstance, type LabInstance } from '../../lab/cli/lab-inventory';
import { startLabController, type LabController } from '../support/lab/lab-controller';

const LINK_MBIT = 100;
const LINK_BYTES_PER_SEC = (LINK_MBIT * 1e6) / 8;
/** QEMU's default max downtime, the one libvirt's defaults keep. */
const LIBVIRT_DOWNTIME_MS = 300;
/** libvirt's defaults are stopped at this round: four rounds after the first pass, none left little enough to switch over. */
const PLAIN_ROUNDS = 5;
// Far above what a converging run takes here (about 20 s); only a broken policy reaches it.
const CAP_MS = 90_000;
const POST_COPY = { name: 'post-copy', policyName: 'post-copy' };

describe('convergence on the lab: livemig-default against libvirt and the named policies', () => {
  let release: () => void;
  let lab: LabController | undefined;
  let busy: LabInstance;
  let at = 'host-a';
  const rows: VariantRow[] = [];

  const run = async (variant: { name: string; policyName: string; policy?: Record<string, unknown> }, stopAtIteration?: number) => {
    const to = at === 'host-a' ? 'host-b' : 'host-a';
    const result = await runVariant(lab!.api, lab!.inventory, busy, to, variant, CAP_MS, stopAtIteration);
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
      flavor: 'lab.tiny',
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
    // libvirt's defaults: every round after the first pass starts with more than a 300 ms downtime can send over
    // the link (QEMU switches over only when what is left fits), so the copy goes round and round; stopped at round 5.
    const plain = await run(LIBVIRT_DEFAULTS, PLAIN_ROUNDS);
    expect(plain.row.converged, JSON.stringify(plain.row)).toBe(false);
    expect(plain.record.state, JSON.stringify(plain.row)).toBe('aborted');
    const samples = await lab!.api.ok<JobSample[]>('GET', `/migrations/${plain.record.id}/samples`);
    const roundStarts = new Map<number, number>();
    for (const s of samples) {
      const round = s.memoryIteration ?? 0;
      if (round < 2 || s.dataRemainingBytes === null) continue;
      roundStarts.set(round, Math.max(roundStarts.get(round) ?? 0, s.dataRemainingBytes));
    }
    // The last round may have been cut short by the abort before a sample saw its start.
    const fullRounds = [...roundStarts.entries()].filter(([round]) => round < PLAIN_ROUNDS).map(([, bytes]) => bytes);
    expect(fullRounds.length, JSON.stringify([...roundStarts])).toBeGreaterThanOrEqual(PLAIN_ROUNDS - 2);
    const budgetBytes = (LINK_BYTES_PER_SEC * LIBVIRT_DOWNTIME_MS) / 1000;
    for (const bytes of fullRounds) expect(bytes, JSON.stringify([...roundStarts])).toBeGreaterThan(budgetBytes);

    const named = (await run(POST_COPY)).row;
    expect(named.converged, JSON.stringify(named)).toBe(true);
    const fastest = named.totalMs!;
    expect(fastest, JSON.stringify(named)).toBeGreaterThan(0);

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
    // The fast start is measured on the record (its bound is a bench figure, not a test's).
    expect(record['requestToFirstByteMs'], JSON.stringify(record)).toEqual(expect.any(Number));
    expect(mine.row.totalMs, JSON.stringify(rows)).not.toBeNull();
    expect(mine.row.totalMs!, JSON.stringify(rows)).toBeLessThanOrEqual(1.5 * fastest);
    const inPostCopy = prediction.postCopy?.switchedAtMs !== null && prediction.postCopy !== null;
    if (!inPostCopy) expect(mine.row.downtimeMs!, JSON.stringify(rows)).toBeLessThanOrEqual(1000);
    else expect(prediction.postCopy?.note).toMatch(/cannot be rolled back/);
  }, 400_000);
});
