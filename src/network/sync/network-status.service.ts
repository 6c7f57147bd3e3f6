import { BadGatewayException, ConflictException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { AgentDirectory } from '../../agents/agent-directory.service';
import { HostsRepository } from '../../inventory/repositories/hosts.repository';
import { MissingFipGatewayError } from '../core/fip-namespaces';
import { AgentError } from '../../agents/client/agent.client';
import type { AgentNetworkStatus, HostNetworkState, NetworkApplyReport } from '../../agents/protocol';
import { resolveHost } from '../ports/resolve-host';
import { NetworkRevisionRepository } from '../repositories/network-revision.repository';
import { NetworkSyncService } from './network-sync.service';
import type { AgentNetworkSummaryDto, HostNetworkStatusDto } from './network-status.dto';

/** A host's network as the controller wants it and as its agent says it is. */
@Injectable()
export class NetworkStatusService {
  constructor(
    private readonly sync: NetworkSyncService,
    private readonly agents: AgentDirectory,
    private readonly hosts: HostsRepository,
    private readonly revision: NetworkRevisionRepository,
  ) {}

  /** The agent's view against the desired revision; 502 when the agent does not answer. */
  async status(hostRef: string): Promise<HostNetworkStatusDto> {
    const host = await resolveHost(this.hosts, hostRef);
    const { revision: desiredRevision, generation } = await this.revision.current();
    let agent: AgentNetworkStatus;
    try {
      agent = await (await this.agents.clientFor(host.id)).networkStatus();
    } catch (err) {
      // The endpoint is operator data: what it answered is not echoed, only how the call failed.
      const failure = err instanceof AgentError ? err.failure : 'unreachable';
      const statusCode = err instanceof AgentError && err.statusCode !== 0 ? err.statusCode : null;
      throw new BadGatewayException({
        message: `the agent on ${host.name} did not answer (${failure}${statusCode === null ? '' : `, HTTP ${statusCode}`})`,
        details: { host: host.name, failure, statusCode },
      });
    }
    const summary = summarize(agent);
    const appliedRevision = summary.lastApply?.revision ?? null;
    const held = agent.desired?.generation;
    const heldGeneration = typeof held === 'string' ? held.slice(0, 36) : null;
    return {
      host: host.name,
      desiredRevision,
      appliedRevision,
      inSync: appliedRevision === desiredRevision && heldGeneration === generation,
      generation,
      heldGeneration,
      heldByOtherGeneration: heldGeneration !== null && generation !== null && heldGeneration !== generation,
      agent: summary,
    };
  }

  /** Asks the agent to reconcile the host against the state it holds; 502 when it does not answer or refuses. */
  async reconcile(hostRef: string): Promise<NetworkApplyReport> {
    const host = await resolveHost(this.hosts, hostRef);
    try {
      return await (await this.agents.clientFor(host.id)).reconcileNetwork();
    } catch (err) {
      throw new BadGatewayException({
        message: `the agent on ${host.name} could not reconcile: ${errorText(err)}`,
        details: { host: host.name },
      });
    }
  }

  /** The state the controller pushes to the host (409 while its fip gateway is not allocated yet). */
  async desiredState(hostRef: string): Promise<HostNetworkState> {
    const host = await resolveHost(this.hosts, hostRef);
    try {
      return await this.sync.desiredState(host.id);
    } catch (err) {
      if (err instanceof MissingFipGatewayError)
        throw new ConflictException({ message: `${err.message}; the next sync allocates it`, details: { host: host.name } });
      if (err instanceof RangeError) throw new UnprocessableEntityException({ message: err.message, details: { host: host.name } });
      throw err;
    }
  }
}

const RECENT_DRIFT = 10;

// Only fields of the protocol, typed and bounded, so a wrong or hostile endpoint cannot put its text in the answer.
function summarize(agent: AgentNetworkStatus): AgentNetworkSummaryDto {
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const str = (v: unknown): string | null => (typeof v === 'string' ? v.slice(0, 255) : null);
  const last = agent?.lastApply;
  const log = Array.isArray(agent?.driftLog) ? agent.driftLog : [];
  const revision = num(last?.revision);
  return {
    desiredHost: str(agent?.desired?.host),
    desiredRevision: num(agent?.desired?.revision),
    lastApply:
      last && revision !== null
        ? {
            revision,
            appliedAt: str(last.appliedAt) ?? '',
            durationMs: num(last.durationMs) ?? 0,
            driftCount: Array.isArray(last.drift) ? last.drift.length : 0,
            commandCount: Array.isArray(last.commands) ? last.commands.length : 0,
          }
        : null,
    driftLogEntries: log.length,
    recentDrift: log.slice(-RECENT_DRIFT).map((d) => ({
      kind: str(d.kind) ?? '',
      subject: str(d.subject) ?? '',
      found: d.found === 'missing' || d.found === 'extra' ? d.found : 'different',
      repaired: d.repaired === true,
      at: str(d.at) ?? '',
    })),
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
