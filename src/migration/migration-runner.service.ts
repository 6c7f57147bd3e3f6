import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Repository } from 'typeorm';
import { MigrationCaptureService, type CaptureSession } from '../capture/migration-capture.service';
import { LIVEMIG_CONFIG, type LivemigConfig } from '../config/livemig-config';
import { FlavorEntity } from '../inventory/flavors/flavor.entity';
import { HostEntity } from '../inventory/hosts/host.entity';
import { InstanceEntity } from '../inventory/instances/instance.entity';
import { decide, initialConvergenceState, migrationDataGiB, type ConvergenceAction, type ConvergenceState } from './core';
import { errorMessage, Hypervisor, isActive } from './hypervisor';
import type { DomainEvent, DomainRef, HostConnectionRef, JobStats } from './libvirt';
import { buildMigrateRequest } from './migration-flags';
import type { TerminalState } from './migration-phase';
import { MigrationRecorder } from './migration-recorder.service';
import { NETWORK_FOLLOWER, type NetworkFollower } from './network-follower';
import { PrecheckRefusal } from './precheck-refusal';
import { PrechecksService } from './prechecks.service';
import { PrecopyPredictionService } from './prediction/precopy-prediction.service';
import { LiveMigrationEntity } from './records/live-migration.entity';
import { ReservationsService } from './reservations.service';
import type { NetworkStepRecord } from './records/network-step';

interface RunContext {
  migration: LiveMigrationEntity;
  instance: InstanceEntity;
  flavor: FlavorEntity;
  source: HostEntity;
  destination: HostEntity;
  /** Set from reservation on: the migration-stream capture and the probe. */
  capture?: CaptureSession;
  networkSteps: NetworkStepRecord[];
  /** The destination was pre-plugged: a failure must roll the network back. */
  networkPrePlugged: boolean;
  /** Started once, at switchover (or at completion when no pause was seen). */
  networkSwitchover?: Promise<boolean>;
  switchoverAt?: Date;
}

interface CopyOutcome {
  error: unknown;
  switchoverSeen: boolean;
  abortReason: string | null;
  lastDirtyRatePagesPerSec: number | null;
}

/** Drives one migration through its five phases; the only place that calls libvirt for it. */
@Injectable()
export class MigrationRunner {
  private readonly logger = new Logger(MigrationRunner.name);
  private readonly abortRequests = new Set<string>();

  constructor(
    @InjectRepository(LiveMigrationEntity) private readonly migrations: Repository<LiveMigrationEntity>,
    @InjectRepository(InstanceEntity) private readonly instances: Repository<InstanceEntity>,
    @InjectRepository(FlavorEntity) private readonly flavors: Repository<FlavorEntity>,
    @InjectRepository(HostEntity) private readonly hosts: Repository<HostEntity>,
    @Inject(LIVEMIG_CONFIG) private readonly config: LivemigConfig,
    private readonly prechecks: PrechecksService,
    private readonly reservations: ReservationsService,
    private readonly recorder: MigrationRecorder,
    private readonly hypervisor: Hypervisor,
    private readonly capture: MigrationCaptureService,
    private readonly prediction: PrecopyPredictionService,
    @Optional() @Inject(NETWORK_FOLLOWER) private readonly network: NetworkFollower | null = null,
  ) {}

  /** Asks a running migration to abort at its next poll. */
  requestAbort(migrationId: string): void {
    this.abortRequests.add(migrationId);
  }

  async run(migrationId: string): Promise<TerminalState> {
    const ctx = await this.load(migrationId);
    let terminal: TerminalState = 'failed';
    try {
      terminal = await this.runPhases(ctx);
    } catch (err) {
      this.logger.error(`migration ${migrationId} broke: ${err instanceof Error ? err.stack : String(err)}`);
      await this.reservations.release(migrationId);
      await this.rollbackNetwork(ctx).catch(() => undefined);
      await this.recorder.enterPhase(ctx.migration, 'failed', `internal error: ${errorMessage(err)}`);
    } finally {
      this.abortRequests.delete(migrationId);
    }
    if (ctx.capture) await this.report(ctx, ctx.capture);
    await this.prediction.afterEnd(ctx.migration);
    return terminal;
  }

  /** capture → analyze → report: network figures stored beside the hypervisor's. */
  private async report(ctx: RunContext, session: CaptureSession): Promise<void> {
    try {
      const report = await this.capture.finish(session, ctx.destination, ctx.switchoverAt ?? null);
      await this.recorder.save(ctx.migration, { ...report.figures, report, reportState: 'ready', reportError: null });
    } catch (err) {
      this.logger.warn(`migration ${ctx.migration.id}: report failed: ${errorMessage(err)}`);
      await this.recorder.save(ctx.migration, { reportState: 'failed', reportError: errorMessage(err) });
    }
  }

  private async runPhases(ctx: RunContext): Promise<TerminalState> {
    const { migration, instance, flavor, source, destination } = ctx;
    await this.recorder.enterPhase(migration, 'pre-migration');
    let sharedStorageProven: boolean;
    try {
      const result = await this.prechecks.run(ctx);
      sharedStorageProven = result.sharedStorageProven;
      await this.recorder.save(migration, {});
      this.logger.log(`migration ${migration.id} pre-checks: ${result.checks.map((c) => `${c.name} ${c.durationMs} ms`).join(', ')}`);
    } catch (err) {
      return this.end(ctx, 'failed', err instanceof PrecheckRefusal ? err.message : `pre-check error: ${errorMessage(err)}`);
    }
    if (this.abortRequests.has(migration.id)) return this.end(ctx, 'aborted', 'aborted by request before the copy started');

    await this.recorder.enterPhase(migration, 'reservation', `${flavor.vcpus} vCPU, ${flavor.ramMiB} MiB on ${destination.name}`);
    try {
      await this.reservations.reserve(migration.id, destination.id, flavor.vcpus, flavor.ramMiB);
    } catch (err) {
      return this.end(ctx, 'failed', errorMessage(err));
    }
    if (this.abortRequests.has(migration.id)) return this.end(ctx, 'aborted', 'aborted by request before the copy started');

    ctx.networkPrePlugged = true;
    if (!(await this.followNetwork(ctx, 'reservation', (n) => n.prePlug(instance.id, destination.id)))) {
      return this.end(ctx, 'failed', `the network could not be pre-plugged on ${destination.name}: ${failedSteps(ctx)}`);
    }
    const floatingIp = this.network ? await this.network.floatingIpOf(instance.id).catch(() => null) : null;
    await this.prediction.beforeCopy(ctx);
    ctx.capture = await this.capture.start(migration.id, source, { guestIp: instance.ipAddress, floatingIp });
    await this.recorder.save(migration, { reportState: 'pending' });
    await this.instances.update({ id: instance.id }, { state: 'migrating' });
    const sourceConn = await this.hypervisor.libvirt.connect(source.libvirtUri);
    try {
      const outcome = await this.copy(ctx, sourceConn, sharedStorageProven);
      return outcome.error === null ? await this.commit(ctx, outcome) : await this.settleFailure(ctx, outcome);
    } finally {
      await this.hypervisor.libvirt.disconnect(sourceConn).catch(() => undefined);
    }
  }

  /** Iterative pre-copy with the monitor loop, until libvirt's migrate call returns. */
  private async copy(ctx: RunContext, sourceConn: HostConnectionRef, sharedStorageProven: boolean): Promise<CopyOutcome> {
    const { migration, flavor, destination, instance } = ctx;
    const libvirt = this.hypervisor.libvirt;
    const domain = await libvirt.lookupDomain(sourceConn, instance.domainName);
    let state: ConvergenceState = initialConvergenceState(migration.policy, migrationDataGiB(flavor.ramMiB));
    const outcome: CopyOutcome = { error: null, switchoverSeen: false, abortReason: null, lastDirtyRatePagesPerSec: null };
    let postCopy = false;

    const onEvent = (event: DomainEvent) => {
      if (event.domain.name !== instance.domainName || outcome.switchoverSeen) return;
      if (event.kind === 'lifecycle' && event.event === 'suspended' && (event.detail === 'migrated' || event.detail === 'postcopy')) {
        outcome.switchoverSeen = true;
        this.startNetworkSwitchover(ctx);
        void this.recorder.enterPhase(migration, 'switchover', `source paused (${event.detail}) for stop-and-copy`, ctx.switchoverAt);
      }
    };
    const unsubscribe = await libvirt.onDomainEvent(sourceConn, onEvent).catch(() => null);

    const initialMaxDowntimeMs = state.steps[0]?.downtimeMs;
    // The first step goes with the migrate call itself; the loop only sends later, different steps.
    state = { ...state, currentMaxDowntimeMs: initialMaxDowntimeMs ?? null };
    const request = buildMigrateRequest({
      destinationLibvirtUri: destination.libvirtUri,
      destinationMigrationAddress: destination.migrationAddress,
      policy: migration.policy,
      initialMaxDowntimeMs,
      sharedStorageProven,
    });
    await this.recorder.save(migration, { maxDowntimeMs: initialMaxDowntimeMs ?? null });
    await this.recorder.enterPhase(migration, 'pre-copy', `flags ${[...request.flags].join(',')}`);

    const started = Date.now();
    let settled = false;
    const migrating = libvirt.migrate(domain, request).then(
      () => undefined,
      (err: unknown) => {
        outcome.error = err;
      },
    );
    void migrating.finally(() => {
      settled = true;
    });

    try {
      while (!settled) {
        await Promise.race([sleep(this.config.migration.monitorIntervalMs), migrating]);
        if (settled) break;
        const elapsedMs = Date.now() - started;
        const stats = await libvirt.jobStats(domain).catch(() => null);
        if (stats && stats.type !== 'none') {
          if (stats.memoryDirtyRate !== undefined && !outcome.switchoverSeen) outcome.lastDirtyRatePagesPerSec = stats.memoryDirtyRate;
          await this.recorder.addSample(migration.id, sampleFigures(stats, elapsedMs, migration.maxDowntimeMs));
        }
        if (this.abortRequests.has(migration.id) && outcome.abortReason === null) {
          outcome.abortReason = 'aborted by request';
          await this.apply(ctx, domain, { type: 'abort', reason: 'operator-request' }, elapsedMs, 'operator');
          continue;
        }
        if (!stats || stats.type === 'none' || outcome.abortReason !== null) continue;
        const decision = decide(migration.policy, state, {
          elapsedSec: elapsedMs / 1000,
          dataRemainingBytes: stats.dataRemaining ?? stats.memoryRemaining ?? 0,
          memoryIteration: stats.memoryIteration,
          mode: postCopy ? 'post-copy' : 'pre-copy',
        });
        state = decision.state;
        for (const action of decision.actions) {
          if (action.type === 'abort') outcome.abortReason = `aborted by policy: ${action.reason}`;
          if (action.type === 'start-post-copy') postCopy = true;
          await this.apply(ctx, domain, action, elapsedMs);
        }
      }
      await migrating;
    } finally {
      if (unsubscribe) await unsubscribe().catch(() => undefined);
    }
    return outcome;
  }

  /** Performs one convergence action and records what became of it. */
  private async apply(ctx: RunContext, domain: DomainRef, action: ConvergenceAction, atMs: number, by = 'policy'): Promise<void> {
    const libvirt = this.hypervisor.libvirt;
    const { type, ...detail } = action;
    const record = (outcome: 'applied' | 'failed' | 'unsupported', error?: string) =>
      this.recorder.addConvergenceEvent(ctx.migration, {
        atMs,
        action: type,
        detail: { ...detail, by },
        outcome,
        ...(error ? { error } : {}),
      });
    try {
      switch (action.type) {
        case 'set-bandwidth':
          await libvirt.setMaxSpeed(domain, action.bandwidthMiBps);
          break;
        case 'set-max-downtime':
          await libvirt.setMaxDowntime(domain, action.downtimeMs);
          ctx.migration.maxDowntimeMs = action.downtimeMs;
          break;
        case 'start-post-copy':
          await libvirt.startPostCopy(domain);
          break;
        case 'abort':
          await libvirt.abortJob(domain);
          break;
        case 'pause-guest':
          // Paused vCPUs dirty nothing, so the copy finishes; libvirt resumes the guest on the destination.
          await libvirt.suspend(domain);
          break;
        case 'enable-auto-converge':
        case 'raise-cpu-throttle':
          // libvirt cannot change these mid-job; QEMU's own auto-converge runs when the policy allowed it at start.
          return record('unsupported');
      }
      return record('applied');
    } catch (err) {
      return record('failed', errorMessage(err));
    }
  }

  /** Commitment: the guest runs on the destination; read the hypervisor's figures there and move the instance. */
  private async commit(ctx: RunContext, outcome: CopyOutcome): Promise<TerminalState> {
    const { migration, instance, destination, source } = ctx;
    if (!outcome.switchoverSeen) {
      this.startNetworkSwitchover(ctx);
      await this.recorder.enterPhase(migration, 'switchover', 'job completed without a pause event', ctx.switchoverAt);
    }
    const networkFollowed = await (ctx.networkSwitchover ?? Promise.resolve(true));
    await this.recorder.enterPhase(migration, 'commitment');
    const where = await this.hypervisor.withConnection(destination.libvirtUri, async (c) => {
      const presence = await this.hypervisor.presence(c, instance.domainName);
      const completed = presence.present
        ? await this.hypervisor.libvirt.jobStats(presence.domain, { completed: true }).catch(() => null)
        : null;
      return { presence, completed };
    });
    if (!isActive(where.presence)) {
      return this.end(ctx, 'failed', `libvirt reported success but ${instance.domainName} is not running on ${destination.name}`);
    }
    const stats = where.completed;
    await this.recorder.save(migration, {
      hvTotalTimeMs: stats?.timeElapsed ?? null,
      hvDowntimeMs: stats?.downtime ?? null,
      hvSetupTimeMs: stats?.setupTime ?? null,
      hvDataProcessedBytes: stats?.dataProcessed ?? null,
      hvIterations: stats?.memoryIteration ?? null,
      hvDirtyRatePagesPerSec: outcome.lastDirtyRatePagesPerSec,
    });
    await this.instances.update({ id: instance.id }, { hostId: destination.id, state: 'active' });
    await this.reservations.release(migration.id);
    ctx.networkPrePlugged = false;
    const committed = await this.followNetwork(ctx, 'commitment', (n) => n.commit(instance.id, source.id));
    // The guest runs on the destination whatever the network did; a failed step is said, and the periodic resync repairs it.
    const networkNote = networkFollowed && committed ? '' : `; network steps failed: ${failedSteps(ctx)}`;
    await this.recorder.enterPhase(
      migration,
      'completed',
      `${instance.domainName} runs on ${destination.name}; left ${source.name}${networkNote}`,
    );
    return 'completed';
  }

  /** The migrate call failed: find where the guest is and end in the state that matches. */
  private async settleFailure(ctx: RunContext, outcome: CopyOutcome): Promise<TerminalState> {
    const { instance, source, destination } = ctx;
    const reason = errorMessage(outcome.error);
    const [onSource, onDestination] = await Promise.all([
      this.hypervisor.withConnection(source.libvirtUri, (c) => this.hypervisor.presence(c, instance.domainName)).catch(() => null),
      this.hypervisor.withConnection(destination.libvirtUri, (c) => this.hypervisor.presence(c, instance.domainName)).catch(() => null),
    ]);
    const sourceActive = onSource !== null && isActive(onSource);
    const destinationActive = onDestination !== null && isActive(onDestination);
    if (!sourceActive && destinationActive) {
      // The copy finished but a late step (confirm) reported an error: the guest lives on the destination.
      return this.commit(ctx, { ...outcome, error: null });
    }
    if (!sourceActive) {
      return this.end(
        ctx,
        'failed',
        `${reason}; ${instance.domainName} is not running on ${source.name} either (source ${describe(onSource)}, destination ${describe(onDestination)})`,
      );
    }
    if (onSource?.present && onSource.state === 'running' && onDestination?.present && onDestination.state === 'paused') {
      // A failed incoming migration can leave a paused copy behind; the source is the guest.
      await this.hypervisor.libvirt
        .destroy(onDestination.domain)
        .catch((err: unknown) => this.logger.warn(`could not destroy the stale copy on ${destination.name}: ${errorMessage(err)}`));
    }
    if (outcome.abortReason !== null) return this.end(ctx, 'aborted', `${outcome.abortReason}; guest keeps running on ${source.name}`);
    const terminal: TerminalState = outcome.switchoverSeen ? 'rolled-back' : 'failed';
    return this.end(ctx, terminal, `${reason}; guest keeps running on ${source.name}`);
  }

  private async end(ctx: RunContext, terminal: TerminalState, detail: string): Promise<TerminalState> {
    await this.reservations.release(ctx.migration.id);
    await this.rollbackNetwork(ctx);
    await this.instances.update({ id: ctx.instance.id }, { state: 'active' });
    await this.recorder.enterPhase(ctx.migration, terminal, detail);
    return terminal;
  }

  private async load(migrationId: string): Promise<RunContext> {
    const migration = await this.migrations.findOneByOrFail({ id: migrationId });
    const instance = await this.instances.findOneByOrFail({ id: migration.instanceId });
    const flavor = await this.flavors.findOneByOrFail({ id: instance.flavorId });
    const [source, destination] = await Promise.all([
      this.hosts.findOneByOrFail({ id: migration.sourceHostId }),
      this.hosts.findOneByOrFail({ id: migration.destinationHostId }),
    ]);
    return { migration, instance, flavor, source, destination, networkSteps: [], networkPrePlugged: false };
  }

  /** The guest stays on the source: bindings, FDB and FIP back to how they were before pre-plug. */
  private async rollbackNetwork(ctx: RunContext): Promise<void> {
    if (!ctx.networkPrePlugged) return;
    ctx.networkPrePlugged = false;
    if (ctx.networkSwitchover) await ctx.networkSwitchover;
    const { instance, source, destination } = ctx;
    await this.followNetwork(ctx, 'rollback', (n) => n.rollback(instance.id, source.id, destination.id));
  }

  /** Once per migration: activates the destination bindings while the guest moves. */
  private startNetworkSwitchover(ctx: RunContext): void {
    if (ctx.networkSwitchover) return;
    ctx.switchoverAt = new Date();
    const { instance, destination } = ctx;
    ctx.networkSwitchover = this.followNetwork(ctx, 'switchover', (n) => n.switchover(instance.id, destination.id));
  }

  /** Runs one network step group, keeps its timed steps on the record; false when a step failed. */
  private async followNetwork(
    ctx: RunContext,
    phase: NonNullable<NetworkStepRecord['phase']>,
    call: (n: NetworkFollower) => Promise<NetworkStepRecord[]>,
  ): Promise<boolean> {
    if (!this.network) return true;
    const startedAt = new Date();
    let steps: NetworkStepRecord[];
    try {
      steps = await call(this.network);
    } catch (err) {
      steps = [
        {
          step: phase,
          startedAt: startedAt.toISOString(),
          durationMs: Date.now() - startedAt.getTime(),
          ok: false,
          error: errorMessage(err),
        },
      ];
    }
    ctx.networkSteps.push(...steps.map((s) => ({ ...s, phase })));
    await this.recorder.save(ctx.migration, { networkSteps: [...ctx.networkSteps] });
    return steps.every((s) => s.ok);
  }
}

function sampleFigures(stats: JobStats, elapsedMs: number, maxDowntimeMs: number | null) {
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

function describe(presence: { present: boolean; state?: string } | null): string {
  if (presence === null) return 'unreachable';
  return presence.present ? (presence.state ?? 'defined') : 'absent';
}

function failedSteps(ctx: { networkSteps: NetworkStepRecord[] }): string {
  const failed = ctx.networkSteps.filter((s) => !s.ok);
  return failed.length === 0 ? 'none' : failed.map((s) => `${s.step}${s.host ? ` on ${s.host}` : ''}: ${s.error ?? 'failed'}`).join('; ');
}
