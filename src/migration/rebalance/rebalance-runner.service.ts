import { ConflictException, HttpException, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { newId } from '../../common/ids';
import { planRebalance, type RebalanceMove } from '../core';
import { FleetSnapshotService } from '../drain/fleet-snapshot.service';
import { migrationEnd } from '../drain/migration-end';
import { MigrationQueueService } from '../migration-queue.service';
import { MigrationsService } from '../migrations.service';
import { plannerGoal, runInputs } from './rebalance-inputs';
import type { RebalancePolicyEntity } from './rebalance-policy.entity';
import { RebalanceRunEntity, type RebalanceRunResult, type RebalanceTrigger } from './rebalance-run.entity';

/** One run of a policy: plan from the fleet now, record it, and in execute mode migrate. */
@Injectable()
export class RebalanceRunner {
  private readonly logger = new Logger(RebalanceRunner.name);
  /** Policy id → the run in progress; a policy never overlaps itself. */
  private readonly inProgress = new Map<string, Promise<void>>();
  private readonly byRun = new Map<string, Promise<void>>();

  constructor(
    @InjectRepository(RebalanceRunEntity) private readonly runs: Repository<RebalanceRunEntity>,
    private readonly fleet: FleetSnapshotService,
    private readonly migrations: MigrationsService,
    private readonly queue: MigrationQueueService,
  ) {}

  isRunning(policyId: string): boolean {
    return this.inProgress.has(policyId);
  }

  async run(policy: RebalancePolicyEntity, trigger: RebalanceTrigger): Promise<RebalanceRunEntity> {
    if (this.inProgress.has(policy.id)) throw new ConflictException({ message: `policy ${policy.name} is already running`, details: { policyId: policy.id } });
    let release = () => {};
    this.inProgress.set(policy.id, new Promise<void>((resolve) => (release = resolve)));
    try {
      const snapshot = await this.fleet.take();
      const plan = planRebalance({
        hosts: snapshot.hosts,
        instances: snapshot.instances,
        metric: policy.metric,
        goal: plannerGoal(policy.goal),
        maxMigrations: policy.maxMigrationsPerRun,
        cooldownMs: policy.cooldownSec * 1000,
        nowMs: Date.now(),
      });
      const execute = policy.mode === 'execute' && plan.moves.length > 0;
      const run = await this.runs.save(
        this.runs.create({
          id: newId(),
          policyId: policy.id,
          trigger,
          mode: policy.mode,
          state: execute ? 'running' : 'completed',
          inputs: runInputs(snapshot.hosts, snapshot.instances, policy.metric, plan.inCooldownInstanceIds),
          moves: [...plan.moves],
          stddevBefore: plan.stddevBefore,
          stddevAfter: plan.stddevAfter,
          stopReason: plan.stopReason,
          results: plan.moves.map((m): RebalanceRunResult => ({ instanceId: m.instanceId, migrationId: null, outcome: 'not-executed', reason: policy.mode === 'dry-run' ? 'dry-run' : null })),
          finishedAt: execute ? null : new Date(),
        }),
      );
      if (!execute) {
        this.inProgress.delete(policy.id);
        release();
        return run;
      }
      const done = this.execute(run, plan.moves)
        .catch(async (err: unknown) => {
          this.logger.error(`rebalance run ${run.id}: ${String(err)}`);
          await this.runs.update({ id: run.id }, { state: 'failed', finishedAt: new Date() });
        })
        .finally(() => {
          this.inProgress.delete(policy.id);
          this.byRun.delete(run.id);
          release();
        });
      this.byRun.set(run.id, done);
      return run;
    } catch (err) {
      this.inProgress.delete(policy.id);
      release();
      throw err;
    }
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
      results.push(await this.executeMove(move));
      await this.runs.update({ id: run.id }, { results: [...results, ...run.results.slice(results.length)] });
    }
    await this.runs.update({ id: run.id }, { state: 'completed', results, finishedAt: new Date() });
  }

  private async executeMove(move: RebalanceMove): Promise<RebalanceRunResult> {
    let migrationId: string;
    try {
      migrationId = (await this.migrations.request({ instanceId: move.instanceId, destinationHostId: move.destinationHostId })).id;
    } catch (err) {
      const reason = err instanceof HttpException ? `${err.getStatus()} ${err.message}` : err instanceof Error ? err.message : String(err);
      return { instanceId: move.instanceId, migrationId: null, outcome: 'refused', reason };
    }
    const end = await migrationEnd(this.migrations, this.queue, migrationId);
    return { instanceId: move.instanceId, migrationId, outcome: end.state, reason: end.failureReason };
  }
}
