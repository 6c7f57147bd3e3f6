import { describe, expect, it } from 'vitest';
import type { LivemigConfig } from '../../../src/config/livemig-config';
import { PostCopyRecovery, resumeRequest } from '../../../src/migration/engine/postcopy-recovery';
import { Hypervisor } from '../../../src/migration/hypervisor';
import {
  PAUSED_POSTCOPY_FAILED,
  type DomainRef,
  type JobStats,
  type LibvirtRepository,
  type MigrateRequest,
} from '../../../src/migration/libvirt';
import type { MigrationRecorder } from '../../../src/migration/migration-recorder.service';
import type { ConvergenceEvent, LiveMigrationEntity } from '../../../src/migration/records/live-migration.entity';

const domain = { hostUri: 'qemu+tcp://src/system', name: 'vm' } as unknown as DomainRef;
const request: MigrateRequest = {
  destinationUri: 'qemu+tcp://dst/system',
  flags: ['LIVE', 'PEER2PEER', 'POSTCOPY', 'AUTO_CONVERGE'],
  params: { migrateUri: 'tcp://198.51.100.2', maxDowntimeMs: 300, autoConvergeInitialPct: 20, bandwidthPostcopyMiBps: 50 },
};

/** A source whose resumes fail `failures` times; a resume that hangs waits for pausePostCopy. */
function source(opts: { failures?: number; hang?: boolean; split?: boolean }) {
  const calls: { resumes: MigrateRequest[]; pauses: number } = { resumes: [], pauses: 0 };
  let failures = opts.failures ?? 0;
  let unpause: (() => void) | null = null;
  const libvirt = {
    domainState: async () => ({ state: 'paused', reason: opts.split === false ? 1 : PAUSED_POSTCOPY_FAILED }),
    migrate: (_d: DomainRef, r: MigrateRequest) => {
      calls.resumes.push(r);
      if (opts.hang) return new Promise<void>((_, reject) => (unpause = () => reject(new Error('job paused'))));
      return failures-- > 0 ? Promise.reject(new Error('Connection refused')) : Promise.resolve();
    },
    jobStats: async (): Promise<JobStats> => ({ type: 'unbounded', dataProcessed: 1000 }) as JobStats,
    pausePostCopy: async () => {
      calls.pauses++;
      unpause?.();
    },
  } as unknown as LibvirtRepository;
  return { libvirt, calls };
}

function recoveryOn(libvirt: LibvirtRepository, settings: { windowMs: number; stallMs?: number }) {
  const events: ConvergenceEvent[] = [];
  const recorder = {
    addConvergenceEvent: async (_m: LiveMigrationEntity, e: ConvergenceEvent) => void events.push(e),
  } as unknown as MigrationRecorder;
  const config = {
    migration: {
      monitorIntervalMs: 10,
      postCopyRecovery: { stallMs: settings.stallMs ?? 50, windowMs: settings.windowMs, firstBackoffMs: 1, maxBackoffMs: 4 },
    },
  } as unknown as LivemigConfig;
  return { recovery: new PostCopyRecovery(config, new Hypervisor(libvirt), recorder), events };
}

const migration = { id: 'm-1' } as LiveMigrationEntity;
const failure = { atMs: 1200, cause: 'link-error' as const, error: new Error('job failed in post-copy phase') };

describe('post-copy recovery', () => {
  it('the resume carries POSTCOPY_RESUME and the original flags, without the start-only settings', () => {
    const r = resumeRequest(request);
    expect([...r.flags].sort()).toEqual(['AUTO_CONVERGE', 'LIVE', 'PEER2PEER', 'POSTCOPY', 'POSTCOPY_RESUME']);
    expect(r.params).toEqual({ migrateUri: 'tcp://198.51.100.2', bandwidthPostcopyMiBps: 50 });
    expect(r.destinationUri).toBe(request.destinationUri);
  });

  it('resumes until the link is back, and records each attempt', async () => {
    const { libvirt, calls } = source({ failures: 2 });
    const { recovery, events } = recoveryOn(libvirt, { windowMs: 60_000 });
    const record = await recovery.recover(migration, domain, request, failure, Date.now() - 1500);
    expect(record).toMatchObject({ failedAtMs: 1200, cause: 'link-error', attempts: 3, lastError: 'Connection refused' });
    expect(record.recoveredAtMs).toBeGreaterThanOrEqual(1500);
    expect(calls.resumes).toHaveLength(3);
    expect(calls.resumes.every((r) => new Set(r.flags).has('POSTCOPY_RESUME'))).toBe(true);
    expect(events.map((e) => `${e.action}:${e.outcome}`)).toEqual([
      'post-copy-failed:failed',
      'resume-post-copy:failed',
      'resume-post-copy:failed',
      'resume-post-copy:applied',
    ]);
  });

  it('gives up at the end of the window, the guest left split for an operator', async () => {
    const { libvirt } = source({ failures: 1000 });
    const { recovery } = recoveryOn(libvirt, { windowMs: 30 });
    const record = await recovery.recover(migration, domain, request, failure, Date.now());
    expect(record.recoveredAtMs).toBeNull();
    expect(record.attempts).toBeGreaterThan(1);
    expect(record.lastError).toBe('Connection refused');
  });

  it('stops when the source copy no longer waits for recovery', async () => {
    const { libvirt, calls } = source({ split: false });
    const { recovery } = recoveryOn(libvirt, { windowMs: 60_000 });
    const record = await recovery.recover(migration, domain, request, failure, Date.now());
    expect(record).toMatchObject({ attempts: 0, recoveredAtMs: null });
    expect(calls.resumes).toHaveLength(0);
  });

  it('pauses a destination that never saw the failure before resuming into it, once', async () => {
    const { libvirt, calls } = source({ failures: 1 });
    const destination = { hostUri: 'qemu+tcp://dst/system', name: 'vm' } as unknown as DomainRef;
    let destinationPaused = false;
    const paused: DomainRef[] = [];
    const base = libvirt.domainState.bind(libvirt);
    Object.assign(libvirt, {
      domainState: async (d: DomainRef) =>
        d === destination ? { state: 'paused', reason: destinationPaused ? PAUSED_POSTCOPY_FAILED : 2 } : base(d),
      pausePostCopy: async (d: DomainRef) => {
        paused.push(d);
        if (d === destination) destinationPaused = true;
      },
    });
    const { recovery, events } = recoveryOn(libvirt, { windowMs: 60_000 });
    const record = await recovery.recover(migration, domain, request, failure, Date.now(), async () => destination);
    expect(record.recoveredAtMs).not.toBeNull();
    expect(paused).toEqual([destination]);
    expect(calls.resumes).toHaveLength(2);
    expect(events.filter((e) => e.action === 'pause-post-copy').map((e) => e.detail.host)).toEqual(['destination']);
  });

  it('a resumed job that goes dark again is paused by the stuck-link detector rather than waited on for ever', async () => {
    const { libvirt, calls } = source({ hang: true });
    const { recovery } = recoveryOn(libvirt, { windowMs: 200, stallMs: 40 });
    const record = await recovery.recover(migration, domain, request, failure, Date.now());
    expect(calls.pauses).toBeGreaterThanOrEqual(1);
    expect(record.recoveredAtMs).toBeNull();
    expect(record.lastError).toBe('job paused');
  });
});
