import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { LeaderElection } from '../leader/leader-election.service';
import { LEADER_OPTIONS, type LeaderOptions } from '../leader/leader-options';
import { RebalanceRunner } from './rebalance-runner.service';
import { RebalancePoliciesRepository } from './repositories/rebalance-policies.repository';

const JOB_PREFIX = 'rebalance-policy:';

/**
 * Keeps one cron job per enabled policy in the SchedulerRegistry. Every replica registers them, only the
 * leader's fire a run. Policies changed on another replica are picked up by the periodic sync.
 */
@Injectable()
export class RebalanceJobs implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RebalanceJobs.name);
  /** Job name → the policy version it was built from. */
  private readonly registered = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private syncing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly policies: RebalancePoliciesRepository,
    private readonly registry: SchedulerRegistry,
    private readonly runner: RebalanceRunner,
    private readonly leader: LeaderElection,
    @Inject(LEADER_OPTIONS) private readonly options: LeaderOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sync();
    this.timer = setInterval(
      () => void this.sync().catch((err: unknown) => this.logger.warn(`policy sync: ${String(err)}`)),
      this.options.retryIntervalMs,
    );
    this.timer.unref();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const name of this.registered.keys()) this.unregister(name);
  }

  registeredPolicyIds(): string[] {
    return [...this.registered.keys()].map((name) => name.slice(JOB_PREFIX.length));
  }

  /** Registers enabled policies, re-registers changed ones, removes deleted and disabled ones. */
  sync(): Promise<void> {
    this.syncing = this.syncing.then(() => (this.stopped ? undefined : this.syncOnce()));
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    await this.runner.closeOrphans();
    const enabled = await this.policies.findEnabled();
    const wanted = new Map(enabled.map((p) => [JOB_PREFIX + p.id, p]));
    for (const name of [...this.registered.keys()]) if (!wanted.has(name)) this.unregister(name);
    for (const [name, policy] of wanted) {
      const version = `${policy.cron}@${policy.updatedAt.getTime()}`;
      if (this.registered.get(name) === version) continue;
      this.unregister(name);
      const job = CronJob.from({ cronTime: policy.cron, onTick: () => void this.fire(policy.id), start: true });
      this.registry.addCronJob(name, job);
      this.registered.set(name, version);
    }
  }

  private unregister(name: string): void {
    if (this.registry.doesExist('cron', name)) this.registry.deleteCronJob(name);
    this.registered.delete(name);
  }

  private async fire(policyId: string): Promise<void> {
    if (this.stopped || !this.leader.isLeader() || this.runner.isRunning(policyId)) return;
    try {
      if (!(await this.leader.confirmLeadership())) return;
      // The row decides, not the copy the job was built from: mode and goal may have changed since.
      const policy = await this.policies.findById(policyId);
      if (!policy?.enabled) return;
      await this.runner.run(policy, 'cron');
    } catch (err) {
      this.logger.warn(`rebalance policy ${policyId}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
