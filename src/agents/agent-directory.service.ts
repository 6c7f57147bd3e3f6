import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AgentError, type AgentClient, type AgentClientFactory } from './client/agent.client';
import { HostEntity } from '../inventory/hosts/host.entity';

export const AGENT_CLIENT_FACTORY = Symbol('AgentClientFactory');

/** Hands out an AgentClient per host, built from the host's endpoint and its own token. */
@Injectable()
export class AgentDirectory {
  private readonly lastHealthy = new Map<string, number>();

  constructor(
    @InjectRepository(HostEntity) private readonly hosts: Repository<HostEntity>,
    @Inject(AGENT_CLIENT_FACTORY) private readonly factory: AgentClientFactory,
  ) {}

  async clientFor(hostId: string): Promise<AgentClient> {
    const host = await this.hosts.findOne({
      where: { id: hostId },
      select: { id: true, name: true, agentEndpoint: true, agentToken: true },
    });
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
