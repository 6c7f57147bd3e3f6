import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AgentDirectory } from '../../agents/agent-directory.service';
import { LEADERSHIP, type Leadership } from '../../common/leadership';
import { LIVEMIG_CONFIG, type LivemigConfig } from '../../config/livemig-config';
import type { HostEntity } from '../../inventory/hosts/host.entity';
import { HostsRepository } from '../../inventory/repositories/hosts.repository';
import { heartbeatVerdict } from './heartbeat-verdict';

export { MISSED_HEARTBEATS_DOWN } from './heartbeat-verdict';

/**
 * Asks every host's agent periodically (AgentDirectory.check, the same check pre-checks and the
 * scheduler use) and keeps agentState and agentLastSeenAt on the host.
 */
@Injectable()
export class AgentHeartbeatService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AgentHeartbeatService.name);
  private readonly missed = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly hosts: HostsRepository,
    private readonly agents: AgentDirectory,
    @Inject(LIVEMIG_CONFIG) private readonly config: LivemigConfig,
    @Optional() @Inject(LEADERSHIP) private readonly leadership: Leadership | null = null,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.network.heartbeatMs;
    if (every > 0) this.timer = setInterval(() => this.tick(), every);
  }

  /** Does not wait for a round in flight: an agent that does not answer would hold the shutdown for its timeout. */
  onModuleDestroy(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }

  /** One heartbeat round over every host with an agent. */
  async beat(): Promise<void> {
    const hosts = (await this.hosts.findAll()).filter((h) => h.agentEndpoint !== null);
    await Promise.all(hosts.map((h) => this.beatOne(h)));
  }

  private async beatOne(host: Pick<HostEntity, 'id' | 'name' | 'agentState'>): Promise<void> {
    const result = await this.agents.check(host.id);
    if (this.stopped) return;
    const reason = result.up ? null : result.reason;
    const verdict = heartbeatVerdict(this.missed.get(host.id) ?? 0, result.up);
    this.missed.set(host.id, verdict.missed);
    if (verdict.state === 'up') {
      await this.hosts.setAgentState(host.id, 'up', new Date());
      if (host.agentState === 'down') this.logger.log(`agent on ${host.name} is up again`);
    } else if (verdict.state === 'down' && host.agentState !== 'down') {
      await this.hosts.setAgentState(host.id, 'down', null);
      this.logger.warn(`agent on ${host.name} missed ${verdict.missed} heartbeats: down (${reason})`);
    }
  }

  private tick(): void {
    if (this.running || this.stopped) return;
    // With several replicas only the leader runs a round: once per period cluster-wide.
    this.running = this.leading()
      .then((leading) => (leading ? this.beat() : undefined))
      .catch((err: unknown) => this.logger.error(`heartbeat failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => (this.running = null));
  }

  private async leading(): Promise<boolean> {
    return this.leadership ? this.leadership.confirmLeadership() : true;
  }
}
