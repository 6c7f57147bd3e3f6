import { ConflictException, HttpException, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { newId } from '../../common/ids';
import { planRebalance, type RebalanceMove } from '../core';
import { FleetSnapshotService } from '../drain/fleet-snapshot.service';
import { migrationEnd } from '../drain/migration-end';
import { LibvirtLoadService } from '../load/libvirt-load.service';
import { MigrationQueueService } from '../migration-queue.service';
import { MigrationsService } from '../migrations.service';
import { SessionLocks, type ReleaseLock } from '../leader/session-locks.service';
import { plannerGoal, runInputs } from './rebalance-inputs';
import type { RebalancePolicyEntity } from './rebalance-policy.entity';
import type { RebalanceRunEntity, RebalanceRunResult, RebalanceTrigger } from './rebalance-run.entity';
import { RebalanceRunsRepository } from './repositories/rebalance-runs.repository';

/** Class id of the session lock an executing run holds; the object id is hashtext(run id). */
export const REBALANCE_RUN_LOCK_CLASS = 7_356_004;

/** One run of a policy: plan from the fleet now, record it, and in execute mode migrate. */
@Injectable()
export class RebalanceRunner implements OnModuleDestroy {
  private readonly logger = new Logger(RebalanceRunner.name);
  /** Policy id → the run in progress; a policy never overlaps itself. */
  private readonly inProgress = new Map<string, Promise<void>>();
  private readonly byRun = new Map<string, Promise<void>>();
  /** Executing runs of this controller, from before their row exists until they end. */
  private readonly executing = new Set<string>();
  private stopped = false;

  constructor(
    private readonly runs: RebalanceRunsRepository,
    private readonly fleet: FleetSnapshotService,
    private readonly migrations: MigrationsService,
    private readonly queue: MigrationQueueService,
    private readonly locks: SessionLocks,
    private readonly load: LibvirtLoadService,
  ) {}

  /** No new move starts once the controller is stopping; the next controller closes the run. */
  onModuleDestroy(): void {
    this.stopped = true;
  }

  isRunning(policyId: string): boolean {
    return this.inProgress.has(policyId);
  }

  async run(policy: RebalancePolicyEntity, trigger: RebalanceTrigger): Promise<RebalanceRunEntity> {
    if (this.inProgress.has(policy.id))
      throw new ConflictException({ message: `policy ${policy.name} is already running`, details: { policyId: policy.id } });
    let release = () => {};
    this.inProgress.set(policy.id, new Promise<void>((resolve) => (release = resolve)));
    const runId = newId();
    let releaseLock: ReleaseLock = async () => undefined;
    try {
      const snapshot = await this.fleet.take();
      const measured = await this.load.measureFleet(snapshot.hostEntities, snapshot.instances);
      const plan = planRebalance({
        hosts: snapshot.hosts,
        instances: measured.instances,
        metric: policy.metric,
        goal: plannerGoal(policy.goal),
        maxMigrations: policy.maxMigrationsPerRun,
        cooldownMs: policy.cooldownSec * 1000,
        nowMs: Date.now(),
      });
      const execute = policy.mode === 'execute' && plan.moves.length > 0;
      if (execute) {
        this.executing.add(runId);
        releaseLock = (await this.locks.claim(REBALANCE_RUN_LOCK_CLASS, runId)) ?? releaseLock;
      }
      const run = await this.runs.insert({
        id: runId,
        policyId: policy.id,
        trigger,
        mode: policy.mode,
        state: execute ? 'running' : 'completed',
        inputs: runInputs(snapshot.hosts, measured.instances, policy.metric, plan.inCooldownInstanceIds, measured.measurement),
        moves: [...plan.moves],
        stddevBefore: plan.stddevBefore,
        stddevAfter: plan.stddevAfter,
        stopReason: plan.stopReason,
        results: plan.moves.map((m): RebalanceRunResult => ({
          instanceId: m.instanceId,
          migrationId: null,
          outcome: 'not-executed',
          reason: policy.mode === 'dry-run' ? 'dry-run' : null,
        })),
        finishedAt: execute ? null : new Date(),
      });
      if (!execute) {
        this.inProgress.delete(policy.id);
        release();
        return run;
      }
      const done = this.execute(run, plan.moves)
        .catch(async (err: unknown) => {
          this.logger.error(`rebalance run ${run.id}: ${String(err)}`);
          // The controller may be stopping and its database gone: the next controller closes the run then.
          await this.runs.finish(run.id, 'failed', new Date()).catch(() => undefined);
        })
        .finally(async () => {
          this.inProgress.delete(policy.id);
          this.byRun.delete(run.id);
          this.executing.delete(run.id);
          await Promise.resolve(releaseLock()).catch(() => undefined);
          release();
        });
      this.byRun.set(run.id, done);
      return run;
    } catch (err) {
      this.inProgress.delete(policy.id);
      this.executing.delete(runId);
      await releaseLock();
      release();
      throw err;
    }
  }

  /**
   * Runs left `running` by a controller that went away (its lock is free) are closed as failed: the
   * fleet has changed since their plan, so the next run plans afresh rather than resuming.
   */
  async closeOrphans(): Promise<number> {
    let closed = 0;
    for (const run of await this.runs.findRunning()) {
      if (this.executing.has(run.id)) continue;
      const releaseLock = await this.locks.claim(REBALANCE_RUN_LOCK_CLASS, run.id);
      if (!releaseLock) continue;
      try {
        const current = await this.runs.findById(run.id);
        if (current?.state !== 'running') continue;
        const results = current.results.map((r): RebalanceRunResult =>
          r.outcome === 'not-executed'
            ? { ...r, reason: 'the controller stopped during the run; the engine settles any migration it had started' }
            : r,
        );
        await this.runs.finish(run.id, 'failed', new Date(), results);
        this.logger.warn(`closed rebalance run ${run.id} left running by a stopped controller`);
        closed++;
      } finally {
        await releaseLock();
      }
    }
    return closed;
  }

  /** Resolves when an executing run has finished its migrations. */
  whenDone(runId: string): Promise<void> {
    return this.byRun.get(runId) ?? Promise.resolve();
  }

  /**
   * One move at a time, in plan order: the planner chose each move on the fleet as the earlier ones
   * left it, so a later move may need room an earlier one frees.
   */
  private async execute(run: RebalanceRunEntity, moves: readonly RebalanceMove[]): Promise<void> {
    const results: RebalanceRunResult[] = [];
    for (const move of moves) {
      if (this.stopped) return;
      results.push(await this.executeMove(move));
      await this.runs.recordResults(run.id, [...results, ...run.results.slice(results.length)]);
    }
    await this.runs.finish(run.id, 'completed', new Date(), results);
  }

  private async executeMove(move: RebalanceMove): Promise<RebalanceRunResult> {
    let migrationId: string;
    try {
      migrationId = (
        await this.migrations.request({
          instanceId: move.instanceId,
          destinationHostId: move.destinationHostId,
          // The plan's premise: a guest a drain moved meanwhile is refused ("moved"), not moved again.
          sourceHostId: move.sourceHostId,
        })
      ).id;
    } catch (err) {
      const reason = err instanceof HttpException ? `${err.getStatus()} ${err.message}` : err instanceof Error ? err.message : String(err);
      return { instanceId: move.instanceId, migrationId: null, outcome: 'refused', reason };
    }
    const end = await migrationEnd(this.migrations, this.queue, migrationId);
    return { instanceId: move.instanceId, migrationId, outcome: end.state, reason: end.failureReason };
  }
}
