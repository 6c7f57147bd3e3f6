import { Inject, Injectable } from '@nestjs/common';
import { HostsRepository } from '../inventory/repositories/hosts.repository';
import { AgentError, type AgentClient, type AgentClientFactory } from './client/agent.client';

export const AGENT_CLIENT_FACTORY = Symbol('AgentClientFactory');

/** Hands out an AgentClient per host, built from the host's endpoint and its own token. */
@Injectable()
export class AgentDirectory {
  private readonly lastHealthy = new Map<string, number>();

  constructor(
    private readonly hosts: HostsRepository,
    @Inject(AGENT_CLIENT_FACTORY) private readonly factory: AgentClientFactory,
  ) {}

  async clientFor(hostId: string): Promise<AgentClient> {
    const host = await this.hosts.findById(hostId);
    if (!host) throw new AgentError(hostId, 'unreachable', 'host is not in the inventory');
    if (!host.agentEndpoint || !host.agentToken)
      throw new AgentError(host.name, 'unreachable', 'host has no agent endpoint or agent token');
    return this.factory({ host: host.name, url: host.agentEndpoint, token: host.agentToken });
  }

  /** Asks the agent now; remembers when it last answered. */
  async check(hostId: string): Promise<{ up: true } | { up: false; reason: string }> {
    try {
      await (await this.clientFor(hostId)).health();
      this.lastHealthy.set(hostId, Date.now());
      return { up: true };
    } catch (err) {
      return { up: false, reason: err instanceof Error ? err.message : String(err) };
    }
  }

  recentlyUp(hostId: string, withinMs = 30_000): boolean {
    const at = this.lastHealthy.get(hostId);
    return at !== undefined && Date.now() - at <= withinMs;
  }
}
