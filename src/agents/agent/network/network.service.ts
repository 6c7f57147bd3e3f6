import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { AgentNetworkStatus, HostNetworkState, NetworkApplyReport, NetworkDrift } from '../../protocol';
import { Mutex } from '../../../common/mutex';
import { NETNS_NAME_MAX } from '../../../common/names';
import { PROCESS_RUNNER, type ProcessRunner } from '../../../common/process/process-runner';
import { AGENT_CONFIG, DEFAULT_RECONCILE_INTERVAL_MS, type AgentConfig } from '../agent.config';
import { confirmDrift, executePlan } from './network-executor';
import { NetworkObserver } from './network-observer';
import type { NetworkPlan } from './network-plan';
import { planNetwork, type PlannerOptions } from './network-planner';
import { checkHostNetworkState } from './network-state.check';
import { admitState } from './state-admission';
import { NetworkStateStore } from './network-state.store';

export const DRIFT_LOG_MAX = 200;

type Trigger = 'apply' | 'reconcile' | 'startup';

/** Owns the desired network state of this host: applies it, keeps it on disk, repairs drift. */
@Injectable()
export class NetworkService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Network');
  private readonly mutex = new Mutex();
  private readonly observer: NetworkObserver;
  private readonly store: NetworkStateStore;
  private desired: HostNetworkState | null = null;
  private lastApply: NetworkApplyReport | null = null;
  private readonly driftLog: AgentNetworkStatus['driftLog'] = [];
  /** Router peers livemig made under any state it applied since start: never foreign ports. */
  private readonly ownedTaps = new Set<string>();
  /** Unrepaired drift seen by the previous reconcile, so the log does not repeat it every tick. */
  private lastUnrepaired = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  /** Until then (ms since the epoch) periodic reconciliation leaves the host alone: a switchover ran ahead of `desired`. */
  private heldUntil = 0;
  /** Bumped by each fired switchover, so a reconcile that planned before it does not run its plan. */
  private fence = 0;

  constructor(
    @Inject(AGENT_CONFIG) private readonly config: AgentConfig,
    @Inject(PROCESS_RUNNER) private readonly runner: ProcessRunner,
  ) {
    this.observer = new NetworkObserver(runner, this.prefix);
    this.store = new NetworkStateStore(config.dataDir);
  }

  private get prefix(): string {
    return this.config.netnsPrefix ?? '';
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      const saved = await this.store.load();
      if (saved) {
        this.desired = saved;
        this.logger.log(`re-applying network state revision ${saved.revision} from disk`);
        await this.mutex.run(() => this.converge(saved, 'startup'));
      }
    } catch (err) {
      this.logger.error(`could not re-apply the saved network state: ${err instanceof Error ? err.message : String(err)}`);
    }
    const every = this.config.reconcileIntervalMs ?? DEFAULT_RECONCILE_INTERVAL_MS;
    if (every > 0) {
      this.timer = setInterval(() => void this.tick(), every);
      this.timer.unref();
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  status(): AgentNetworkStatus {
    return { desired: this.desired, lastApply: this.lastApply, driftLog: [...this.driftLog] };
  }

  async apply(input: HostNetworkState): Promise<NetworkApplyReport> {
    const { takeOver, ...state } = this.validated(input);
    return this.mutex.run(async () => {
      const admission = admitState(this.desired, { ...state, ...(takeOver ? { takeOver } : {}) });
      if (!admission.admitted) throw new ConflictException({ message: admission.message, details: admission.held });
      if (admission.takeOver)
        this.logger.warn(
          `network state taken over: generation ${state.generation ?? 'none'} revision ${state.revision} replaces ${this.desired?.generation ?? 'none'} revision ${this.desired?.revision ?? 0}`,
        );
      // Saved first: an agent that dies mid-apply finishes the job when it starts again.
      await this.store.save(state);
      this.desired = state;
      this.heldUntil = 0;
      return this.converge(state, 'apply');
    });
  }

  /** The plan from the host as it is now to `state`, without running it (a switchover armed in advance). */
  async planTowards(input: HostNetworkState): Promise<NetworkPlan> {
    const state = this.validated(input);
    return this.mutex.run(async () => planNetwork(state, await this.observer.observe(), this.plannerOptions(state)));
  }

  /**
   * A fired switchover changed the host ahead of the desired state: periodic reconciliation would undo it,
   * so it waits for the controller's next apply (or `ms`). A reconcile already planning is fenced off too.
   */
  holdReconcile(ms: number): void {
    this.heldUntil = Date.now() + ms;
    this.fence++;
  }

  /** Absent nullable fields mean null: the saved state then matches the contract's types. */
  private validated(input: HostNetworkState): HostNetworkState {
    const state: HostNetworkState = {
      ...input,
      routers: input.routers.map((r) => ({ ...r, dvrHostMac: r.dvrHostMac ?? null, externalGateway: r.externalGateway ?? null })),
    };
    const errors = checkHostNetworkState(state);
    if (state.host !== this.config.host) errors.unshift(`host: "${state.host}" is not this agent's host "${this.config.host}"`);
    for (const name of [...state.routers.map((r) => r.namespace), ...state.fipNamespaces.map((f) => f.namespace)]) {
      if (this.prefix.length + name.length > NETNS_NAME_MAX)
        errors.push(`namespace "${this.prefix}${name}" is longer than ${NETNS_NAME_MAX} characters`);
    }
    if (errors.length > 0)
      throw new BadRequestException({ message: errors.join('; '), details: errors.map((reason) => ({ reasons: [reason] })) });
    return state;
  }

  async reconcileNow(): Promise<NetworkApplyReport> {
    return this.mutex.run(async () => {
      if (!this.desired) throw new ConflictException('no desired network state yet: PUT /v1/network first');
      return this.converge(this.desired, 'reconcile');
    });
  }

  private async tick(): Promise<void> {
    if (this.ticking || !this.desired || Date.now() < this.heldUntil) return;
    this.ticking = true;
    try {
      await this.mutex.run(async () => (this.desired ? this.converge(this.desired, 'reconcile') : null));
    } catch (err) {
      this.logger.error(`network reconcile failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.ticking = false;
    }
  }

  /** Observe, plan, run, observe again to confirm. Callers hold the mutex. */
  private async converge(state: HostNetworkState, trigger: Trigger): Promise<NetworkApplyReport> {
    const started = Date.now();
    const fence = this.fence;
    const options = this.plannerOptions(state);
    const plan = planNetwork(state, await this.observer.observe(), options);
    let drift = plan.drift;
    let commands: string[] = [];
    if (trigger === 'reconcile' && (fence !== this.fence || Date.now() < this.heldUntil)) {
      drift = [];
    } else if (plan.commands.length > 0) {
      const executed = await executePlan(this.runner, plan);
      commands = executed.commands;
      const check = planNetwork(state, await this.observer.observe(), options);
      drift = confirmDrift(executed.drift, check.drift);
    }
    const report: NetworkApplyReport = {
      host: state.host,
      revision: state.revision,
      appliedAt: new Date().toISOString(),
      durationMs: Date.now() - started,
      drift,
      commands,
    };
    if (trigger !== 'reconcile' || commands.length > 0) this.lastApply = report;
    if (trigger !== 'apply') this.record(drift, report.appliedAt);
    if (trigger === 'apply' && drift.some((d) => !d.repaired))
      this.logger.warn(`apply of revision ${state.revision}: ${drift.filter((d) => !d.repaired).length} drift not repaired`);
    return report;
  }

  private plannerOptions(state: HostNetworkState): PlannerOptions {
    for (const r of state.routers) for (const i of r.interfaces) this.ownedTaps.add(i.peerDevice);
    return { externalInterface: this.config.externalInterface ?? null, netnsPrefix: this.prefix, ownedTaps: this.ownedTaps };
  }

  private record(drift: NetworkDrift[], at: string): void {
    const unrepaired = new Set<string>();
    for (const d of drift) {
      const key = `${d.kind} ${d.subject} ${d.found} ${d.error ?? ''}`;
      if (!d.repaired) {
        unrepaired.add(key);
        if (this.lastUnrepaired.has(key)) continue;
      }
      this.driftLog.push({ ...d, at });
      const line = `drift ${d.found} ${d.kind} ${d.subject}${d.detail ? ` (${d.detail})` : ''}: ${d.repaired ? 'repaired' : `NOT repaired: ${d.error ?? ''}`}`;
      if (d.repaired) this.logger.log(line);
      else this.logger.warn(line);
    }
    this.lastUnrepaired = unrepaired;
    if (this.driftLog.length > DRIFT_LOG_MAX) this.driftLog.splice(0, this.driftLog.length - DRIFT_LOG_MAX);
  }
}
