// Issue 14's post-copy point: once switched, a migration cannot be rolled back, so a migration link that goes dark
// must not leave the guest half on each host. The stream is blackholed right after the switch (libvirt's own
// connections stay up); livemig's stuck-link detector pauses the job, resumes fail while the link is dark, and the
// first resume after it comes back finishes the migration. The guest ends running on the destination only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLabLock, blackholeMigrationStream, destroyGuest, labDown, labUp, shapeMigrationLink, whereIsGuest } from '../../lab';
import { waitForMigration, type MigrationRecord } from '../../lab/cli/controller-api';
import { bootInstance, type LabInstance } from '../../lab/cli/lab-inventory';
import { crashNote } from '../support/lab/guest-faults';
import { startLabController, type LabController } from '../support/lab/lab-controller';

const LINK_MBIT = 100;
const STALL_MS = 2000;
/** Long enough for the detector, the pause and at least two refused resumes (backoff 0.5, 1, 2 s). */
const DARK_MS = 7000;

interface RecoveryRecord {
  failedAtMs: number;
  cause: string;
  attempts: number;
  recoveredAtMs: number | null;
  lastError: string | null;
}

describe('post-copy recovery on the lab: a link that goes dark after the switch', () => {
  let release: () => void;
  let lab: LabController | undefined;
  let busy: LabInstance;

  beforeAll(async () => {
    release = await acquireLabLock();
    await labUp({ hosts: 2 });
    lab = await startLabController({
      name: 'postcopy-recovery',
      basePort: 19_600,
      env: { LIVEMIG_MONITOR_INTERVAL_MS: '250', LIVEMIG_POSTCOPY_STALL_MS: String(STALL_MS) },
    });
    busy = await bootInstance(lab.api, lab.inventory, {
      name: 'pcr-busy',
      host: 'host-a',
      ip: '203.0.113.56',
      flavor: 'lab.tiny',
      dirtyMiB: 128,
      dirtyPauseMs: 0,
    });
    await shapeMigrationLink('host-a', LINK_MBIT);
  }, 300_000);

  afterAll(async () => {
    await blackholeMigrationStream('host-a', false).catch(() => undefined);
    await shapeMigrationLink('host-a', null).catch(() => undefined);
    await destroyGuest('pcr-busy').catch(() => undefined);
    await lab?.process.stop();
    await labDown();
    release?.();
  }, 120_000);

  it('pauses the stuck job, resumes it once the link is back, and the guest ends on the destination only', async () => {
    const api = lab!.api;
    const res = await api.call<MigrationRecord>('POST', '/migrations', {
      instanceId: busy.instanceId,
      destinationHostId: lab!.inventory.hostIds['host-b'],
      // livemig's default switches this guest (it dirties more than the link carries) to post-copy after the first pass.
      policyName: 'livemig-default',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const id = res.body.id;
    let switchedAt = 0;
    for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
      const m = await api.ok<MigrationRecord>('GET', `/migrations/${id}`);
      if (m.convergenceEvents.some((e) => e.action === 'start-post-copy' && e.outcome === 'applied')) {
        switchedAt = Date.now();
        break;
      }
      expect(['queued', 'pre-migration', 'reservation', 'pre-copy', 'switchover'], JSON.stringify(m)).toContain(m.state);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(switchedAt, 'the run never switched to post-copy').toBeGreaterThan(0);
    await blackholeMigrationStream('host-a', true);
    try {
      await new Promise((r) => setTimeout(r, DARK_MS));
    } finally {
      await blackholeMigrationStream('host-a', false);
    }
    const done = await waitForMigration(api, id, 180_000);
    const events = done.convergenceEvents.map((e) => `${e.action}:${e.outcome}`);
    console.log(JSON.stringify({ state: done.state, failureReason: done.failureReason, events }));
    expect(done.state, `${done.failureReason}${crashNote(busy.domainName)}`).toBe('completed');
    const recovery = (done['prediction'] as { postCopy: { recovery?: RecoveryRecord } | null }).postCopy?.recovery;
    console.log(`post-copy recovery: ${JSON.stringify(recovery)}`);
    expect(recovery, JSON.stringify(done['prediction'])).toMatchObject({ cause: 'stuck-link', recoveredAtMs: expect.any(Number) });
    expect(events).toContain('pause-post-copy:applied');
    expect(events).toContain('post-copy-failed:failed');
    // At least one resume was refused while the link was dark, and the last one completed the job.
    expect(events.filter((e) => e === 'resume-post-copy:failed').length, JSON.stringify(events)).toBeGreaterThanOrEqual(1);
    expect(events.at(-1) === 'resume-post-copy:applied' || events.includes('resume-post-copy:applied')).toBe(true);
    expect(recovery!.recoveredAtMs! - recovery!.failedAtMs).toBeGreaterThan(DARK_MS - STALL_MS - 1000);
    expect(await whereIsGuest(busy.domainName)).toEqual({ defined: ['host-b'], running: ['host-b'] });
  }, 300_000);
});
