import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { LIVEMIG_CONFIG, type LivemigConfig } from '../../config/livemig-config';
import {
  buildMigrateRequest,
  decide,
  fallbackStrategy,
  initialConvergenceState,
  migrationDataGiB,
  type ConvergenceState,
  type CopyStrategy,
  type FirstPassVerdict,
} from '../core';
import { Hypervisor } from '../hypervisor';
import type { DomainEvent, DomainRef, HostConnectionRef, JobStats } from '../libvirt';
import { MigrationRecorder, type SampleFigures } from '../migration-recorder.service';
import { ConvergenceActions } from './convergence-actions';
import { PostCopyRecovery } from './postcopy-recovery';
import { PostCopyTracker } from './postcopy-tracker';
import type { PostCopyRecoveryRecord } from '../prediction/precopy-record';
import type { LiveMigrationEntity } from '../records/live-migration.entity';
import type { CopyOutcome, RunContext } from './run-context';
import { SwitchoverPhase } from './switchover.phase';

/** Phase 3: iterative pre-copy, with the monitor loop asking the convergence policy at every poll. */
@Injectable()
export class PrecopyPhase {
  constructor(
    @Inject(LIVEMIG_CONFIG) private readonly config: LivemigConfig,
    private readonly hypervisor: Hypervisor,
    private readonly recorder: MigrationRecorder,
    private readonly actions: ConvergenceActions,
    private readonly switchover: SwitchoverPhase,
    private readonly recovery: PostCopyRecovery,
  ) {}

  /** Runs libvirt's migrate call from the source until it returns; the outcome says how. */
  async copy(ctx: RunContext, sharedStorageProven: boolean): Promise<CopyOutcome> {
    const sourceConn = await this.hypervisor.libvirt.connect(ctx.source.libvirtUri);
    try {
      return await this.copyOn(ctx, sourceConn, sharedStorageProven);
    } finally {
      await this.hypervisor.libvirt.disconnect(sourceConn).catch(() => undefined);
    }
  }

  private async copyOn(ctx: RunContext, sourceConn: HostConnectionRef, sharedStorageProven: boolean): Promise<CopyOutcome> {
    const { migration, flavor, destination, instance } = ctx;
    const libvirt = this.hypervisor.libvirt;
    const domain = await libvirt.lookupDomain(sourceConn, instance.domainName);
    const outcome: CopyOutcome = { error: null, switchoverSeen: false, abortReason: null, lastDirtyRatePagesPerSec: null };
    const tracker = new PostCopyTracker(instance.domainName, Date.now());

    const onEvent = (event: DomainEvent) => {
      tracker.onSourceEvent(event);
      if (outcome.switchoverSeen) return;
      const detail = this.switchover.pauseDetail(ctx, event);
      if (detail === null) return;
      outcome.switchoverSeen = true;
      this.switchover.onPaused(ctx, detail);
    };
    const unsubscribe = await libvirt.onDomainEvent(sourceConn, onEvent).catch(() => null);
    // The destination's resume (post-copy) closes the post-copy downtime.
    const destinationConn = await libvirt.connect(destination.libvirtUri).catch(() => null);
    const unsubscribeDestination = destinationConn
      ? await libvirt.onDomainEvent(destinationConn, (e) => tracker.onDestinationEvent(e)).catch(() => null)
      : null;

    const strategy = migration.precopyPrediction?.strategy?.choice ?? fallbackStrategy(migration.policy);
    const measuredDirtyRate = migration.precopyPrediction?.strategy?.inputs.dirtyRateBytesPerSec;
    const initial = initialConvergenceState(migration.policy, migrationDataGiB(flavor.ramMiB), {
      ...strategy,
      ...(measuredDirtyRate !== undefined ? { dirtyRateBytesPerSec: measuredDirtyRate } : {}),
    });
    const initialMaxDowntimeMs = initial.steps[0]?.downtimeMs;
    // The first step goes with the migrate call itself; the loop only sends later, different steps.
    const state: ConvergenceState = { ...initial, currentMaxDowntimeMs: initialMaxDowntimeMs ?? null };
    const request = buildMigrateRequest({
      destinationLibvirtUri: destination.libvirtUri,
      destinationMigrationAddress: destination.migrationAddress,
      policy: migration.policy,
      strategy,
      initialMaxDowntimeMs,
      sharedStorageProven,
    });
    await this.recorder.save(migration, { maxDowntimeMs: initialMaxDowntimeMs ?? null });
    const ready = ctx.readyDetail ? `; ${ctx.readyDetail}` : '';
    await this.recorder.enterPhase(migration, 'pre-copy', `${strategy.kind}; flags ${[...request.flags].join(',')}${ready}`);
    await this.actions.recordStart(migration, strategy, [...request.flags]);

    const started = Date.now();
    const migrating = libvirt.migrate(domain, request).then(
      () => undefined,
      (err: unknown) => {
        outcome.error = err;
      },
    );
    const run: MonitorRun = { strategy, tracker, stuckAtMs: null };
    let recovery: PostCopyRecoveryRecord | null = null;
    try {
      await this.monitor(ctx, domain, migrating, started, state, outcome, run);
      await migrating;
      // Switched to post-copy and then the link failed: the guest's memory is split, so resume rather than settle.
      if (outcome.error !== null && outcome.abortReason === null && tracker.switched && (await this.recovery.isSplit(domain))) {
        const failure = {
          atMs: run.stuckAtMs ?? Date.now() - started,
          cause: run.stuckAtMs !== null ? ('stuck-link' as const) : ('link-error' as const),
          error: outcome.error,
        };
        const destinationDomain = () =>
          destinationConn ? libvirt.lookupDomain(destinationConn, instance.domainName) : Promise.resolve(null);
        recovery = await this.recovery.recover(migration, domain, request, failure, started, destinationDomain);
        if (recovery.recoveredAtMs !== null) outcome.error = null;
      }
    } finally {
      if (unsubscribe) await unsubscribe().catch(() => undefined);
      if (unsubscribeDestination) await unsubscribeDestination().catch(() => undefined);
      if (destinationConn) await libvirt.disconnect(destinationConn).catch(() => undefined);
    }
    outcome.postCopy = tracker.record(Date.now());
    if (outcome.postCopy && recovery) outcome.postCopy.recovery = recovery;
    if (tracker.guestResumedAt !== null) ctx.guestResumedAt = new Date(tracker.guestResumedAt);
    if (outcome.postCopy && migration.precopyPrediction) {
      await this.recorder.save(migration, { precopyPrediction: { ...migration.precopyPrediction, postCopy: outcome.postCopy } });
    }
    return outcome;
  }

  private async recordFirstByte(migration: LiveMigrationEntity): Promise<void> {
    const from = migration.requestedAt ?? migration.createdAt;
    await this.recorder.save(migration, { requestToFirstByteMs: Date.now() - from.getTime() });
  }

  /** The first pass's verdict goes on the prediction record beside the choice it checked. */
  private async recordFirstPass(migration: LiveMigrationEntity, verdict: FirstPassVerdict, atMs: number): Promise<void> {
    const record = migration.precopyPrediction;
    if (!record) return;
    await this.recorder.save(migration, { precopyPrediction: { ...record, firstPass: { atMs, ...verdict } } });
  }

  /** Nova's loop: sample the job, ask the pure policy, apply its actions; until the migrate call settles. */
  private async monitor(
    ctx: RunContext,
    domain: DomainRef,
    migrating: Promise<void>,
    started: number,
    initialState: ConvergenceState,
    outcome: CopyOutcome,
    run: MonitorRun,
  ): Promise<void> {
    const { migration } = ctx;
    let settled = false;
    void migrating.finally(() => {
      settled = true;
    });
    let state = initialState;
    let postCopy = false;
    let firstByteSeen = false;
    const stuck = this.recovery.progressWatch();
    while (!settled) {
      // Until the first byte has gone, poll often: the fast start is measured to it.
      const intervalMs = firstByteSeen
        ? this.config.migration.monitorIntervalMs
        : Math.min(FIRST_BYTE_POLL_MS, this.config.migration.monitorIntervalMs);
      await Promise.race([sleep(intervalMs), migrating]);
      if (settled) break;
      const elapsedMs = Date.now() - started;
      const stats = await this.hypervisor.libvirt.jobStats(domain).catch(() => null);
      if (!firstByteSeen && (stats?.dataProcessed ?? 0) > 0) {
        firstByteSeen = true;
        await this.recordFirstByte(migration);
      }
      if (stats && stats.type !== 'none') {
        run.tracker.onSample(stats);
        if (stats.memoryDirtyRate !== undefined && !outcome.switchoverSeen) outcome.lastDirtyRatePagesPerSec = stats.memoryDirtyRate;
        await this.recorder.addSample(migration.id, sampleFigures(stats, elapsedMs, migration.maxDowntimeMs));
        // A post-copy job whose link went dark sends nothing and never fails by itself: pause it for recovery.
        const inPostCopy = postCopy || run.tracker.switched;
        if (inPostCopy && run.stuckAtMs === null && stats.dataProcessed !== undefined && stuck(stats.dataProcessed, Date.now())) {
          run.stuckAtMs = elapsedMs;
          await this.recovery.pauseStuck(migration, domain, elapsedMs);
          continue;
        }
      }
      if (ctx.abortRequested() && outcome.abortReason === null) {
        outcome.abortReason = 'aborted by request';
        await this.actions.apply(migration, domain, { type: 'abort', reason: 'operator-request' }, elapsedMs, 'operator');
        continue;
      }
      if (!stats || stats.type === 'none' || outcome.abortReason !== null) continue;
      const decision = decide(migration.policy, state, {
        elapsedSec: elapsedMs / 1000,
        dataRemainingBytes: stats.dataRemaining ?? stats.memoryRemaining ?? 0,
        memoryIteration: stats.memoryIteration,
        ...(stats.memoryDirtyRate !== undefined
          ? { dirtyRateBytesPerSec: stats.memoryDirtyRate * (stats.memoryPageSize ?? PAGE_BYTES) }
          : {}),
        ...(stats.memoryBps !== undefined && stats.memoryBps > 0 ? { bandwidthBytesPerSec: stats.memoryBps } : {}),
        mode: postCopy || run.tracker.switched ? 'post-copy' : 'pre-copy',
      });
      if (decision.state.firstPass && !state.firstPass) await this.recordFirstPass(migration, decision.state.firstPass, elapsedMs);
      state = decision.state;
      for (const action of decision.actions) {
        if (action.type === 'abort') outcome.abortReason = `aborted by policy: ${action.reason}`;
        if (action.type === 'start-post-copy') {
          postCopy = true;
          run.tracker.onSwitchRequested(elapsedMs);
        }
        await this.actions.apply(migration, domain, action, elapsedMs);
      }
    }
  }
}

interface MonitorRun {
  strategy: CopyStrategy;
  tracker: PostCopyTracker;
  /** When the stuck-link detector paused the post-copy job (ms since the copy started). */
  stuckAtMs: number | null;
}

/** Request → first byte: the first job sample with data processed, from the request's arrival (or the record's creation). */
const FIRST_BYTE_POLL_MS = 50;
const PAGE_BYTES = 4096;

function sampleFigures(stats: JobStats, elapsedMs: number, maxDowntimeMs: number | null): SampleFigures {
  return {
    elapsedMs,
    dataProcessedBytes: stats.dataProcessed ?? null,
    dataRemainingBytes: stats.dataRemaining ?? null,
    dataTotalBytes: stats.dataTotal ?? null,
    dirtyRatePagesPerSec: stats.memoryDirtyRate ?? null,
    memoryIteration: stats.memoryIteration ?? null,
    bandwidthBytesPerSec: stats.memoryBps ?? null,
    maxDowntimeMs,
  };
}
