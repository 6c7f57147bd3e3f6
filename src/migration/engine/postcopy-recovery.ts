import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { LIVEMIG_CONFIG, type LivemigConfig } from '../../config/livemig-config';
import { nextResumeWaitMs, trackPostCopyProgress, type PostCopyProgressMark } from '../core';
import { errorMessage, Hypervisor } from '../hypervisor';
import { isPostCopyFailed, type DomainRef, type MigrateFlagName, type MigrateRequest } from '../libvirt';
import { MigrationRecorder } from '../migration-recorder.service';
import type { PostCopyRecoveryRecord } from '../prediction/precopy-record';
import type { LiveMigrationEntity } from '../records/live-migration.entity';

/** Where a post-copy job that lost its link stands, as the monitor loop saw it. */
export interface PostCopyFailure {
  /** ms since the copy started. */
  atMs: number;
  cause: PostCopyRecoveryRecord['cause'];
  error: unknown;
}

/**
 * Post-copy recovery: a stuck job is paused (QEMU's migrate-pause) so both sides wait instead of failing for good,
 * then resumed with VIR_MIGRATE_POSTCOPY_RESUME, with backoff, until the link is back or the window ends.
 */
@Injectable()
export class PostCopyRecovery {
  constructor(
    @Inject(LIVEMIG_CONFIG) private readonly config: LivemigConfig,
    private readonly hypervisor: Hypervisor,
    private readonly recorder: MigrationRecorder,
  ) {}

  private get settings() {
    return this.config.migration.postCopyRecovery;
  }

  /** A fresh progress watch for the monitor loop; `watch` answers true once the job is stuck. */
  progressWatch(): (processedBytes: number, atMs: number) => boolean {
    let mark: PostCopyProgressMark | null = null;
    return (processedBytes, atMs) => {
      const read = trackPostCopyProgress(mark, processedBytes, atMs, this.settings.stallMs);
      mark = read.mark;
      return read.stalled;
    };
  }

  /** Pauses a stuck post-copy job; the migrate call then returns with an error and recovery takes over. */
  async pauseStuck(migration: LiveMigrationEntity, domain: DomainRef, atMs: number): Promise<boolean> {
    let error: string | undefined;
    try {
      await this.hypervisor.libvirt.pausePostCopy(domain);
    } catch (err) {
      error = errorMessage(err);
    }
    await this.recorder.addConvergenceEvent(migration, {
      atMs,
      action: 'pause-post-copy',
      detail: { reason: `no post-copy progress for ${this.settings.stallMs} ms`, by: 'policy' },
      outcome: error === undefined ? 'applied' : 'failed',
      ...(error !== undefined ? { error } : {}),
    });
    return error === undefined;
  }

  /** Resumes until the job completes or the window ends; the record says how it went. */
  async recover(
    migration: LiveMigrationEntity,
    domain: DomainRef,
    request: MigrateRequest,
    failure: PostCopyFailure,
    copyStartedAt: number,
    destinationDomain: () => Promise<DomainRef | null> = () => Promise.resolve(null),
  ): Promise<PostCopyRecoveryRecord> {
    const record: PostCopyRecoveryRecord = {
      failedAtMs: failure.atMs,
      cause: failure.cause,
      error: errorMessage(failure.error),
      attempts: 0,
      recoveredAtMs: null,
      lastError: null,
    };
    await this.recorder.addConvergenceEvent(migration, {
      atMs: failure.atMs,
      action: 'post-copy-failed',
      detail: { cause: failure.cause, by: 'hypervisor' },
      outcome: 'failed',
      error: record.error,
    });
    const resume = resumeRequest(request);
    const failedAt = Date.now();
    for (let attempt = 1; ; attempt++) {
      const waitMs = nextResumeWaitMs(attempt, Date.now() - failedAt, this.settings);
      if (waitMs === null) return record;
      await sleep(waitMs);
      if (!(await this.isSplit(domain))) {
        record.lastError = 'the source copy is no longer waiting for post-copy recovery';
        return record;
      }
      record.attempts = attempt;
      await this.pauseUnawareDestination(migration, await destinationDomain().catch(() => null), Date.now() - copyStartedAt);
      const error = await this.resumeOnce(domain, resume);
      const atMs = Date.now() - copyStartedAt;
      await this.recorder.addConvergenceEvent(migration, {
        atMs,
        action: 'resume-post-copy',
        detail: { attempt, by: 'policy' },
        outcome: error === null ? 'applied' : 'failed',
        ...(error !== null ? { error } : {}),
      });
      if (error === null) {
        record.recoveredAtMs = atMs;
        return record;
      }
      record.lastError = error;
    }
  }

  /** One resumed migrate call, watched like the first: a link that goes dark again is paused again. */
  private async resumeOnce(domain: DomainRef, request: MigrateRequest): Promise<string | null> {
    const libvirt = this.hypervisor.libvirt;
    let settled = false;
    const migrating = libvirt.migrate(domain, request).then(
      () => null,
      (err: unknown) => errorMessage(err),
    );
    void migrating.finally(() => {
      settled = true;
    });
    const stuck = this.progressWatch();
    while (!settled) {
      await Promise.race([sleep(this.config.migration.monitorIntervalMs), migrating]);
      if (settled) break;
      const stats = await libvirt.jobStats(domain).catch(() => null);
      if (stats?.dataProcessed !== undefined && stuck(stats.dataProcessed, Date.now())) {
        await libvirt.pausePostCopy(domain).catch(() => undefined);
        break;
      }
    }
    return migrating;
  }

  /**
   * A destination that never heard of the failure (the source's close was lost with the link) still waits on its
   * incoming stream, and libvirt refuses to resume into it: it is paused too, as QEMU allows on either side.
   */
  private async pauseUnawareDestination(migration: LiveMigrationEntity, destination: DomainRef | null, atMs: number): Promise<void> {
    if (destination === null) return;
    const state = await this.hypervisor.libvirt.domainState(destination).catch(() => null);
    if (state === null || isPostCopyFailed(state) || (state.state !== 'paused' && state.state !== 'running')) return;
    let error: string | undefined;
    try {
      await this.hypervisor.libvirt.pausePostCopy(destination);
    } catch (err) {
      error = errorMessage(err);
    }
    await this.recorder.addConvergenceEvent(migration, {
      atMs,
      action: 'pause-post-copy',
      detail: { reason: 'the destination had not seen the failure', host: 'destination', by: 'policy' },
      outcome: error === undefined ? 'applied' : 'failed',
      ...(error !== undefined ? { error } : {}),
    });
  }

  /** The source copy waits for post-copy recovery (libvirt's state reason says so). */
  async isSplit(domain: DomainRef): Promise<boolean> {
    const state = await this.hypervisor.libvirt.domainState(domain).catch(() => null);
    return state !== null && isPostCopyFailed(state);
  }
}

/** libvirt resumes with the original flags plus POSTCOPY_RESUME; start-only settings are not sent again. */
export function resumeRequest(request: MigrateRequest): MigrateRequest {
  const flags = new Set<MigrateFlagName>(request.flags);
  flags.add('POSTCOPY');
  flags.add('POSTCOPY_RESUME');
  const { maxDowntimeMs: _downtime, autoConvergeInitialPct: _initial, autoConvergeIncrementPct: _increment, ...params } = request.params;
  return { ...request, flags, params };
}
