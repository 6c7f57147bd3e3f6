import { BadGatewayException, ConflictException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { AgentDirectory } from '../../agents/agent-directory.service';
import { HostsRepository } from '../../inventory/repositories/hosts.repository';
import { MissingFipGatewayError } from '../core/fip-namespaces';
import type { HostNetworkState, NetworkApplyReport } from '../../agents/protocol';
import { resolveHost } from '../ports/resolve-host';
import { NetworkRevisionRepository } from '../repositories/network-revision.repository';
import { NetworkSyncService } from './network-sync.service';
import type { HostNetworkStatusDto } from './network-status.dto';

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
    const desiredRevision = await this.revision.read();
    try {
      const agent = await (await this.agents.clientFor(host.id)).networkStatus();
      const appliedRevision = agent.lastApply?.revision ?? null;
      return { host: host.name, desiredRevision, appliedRevision, inSync: appliedRevision === desiredRevision, agent };
    } catch (err) {
      throw new BadGatewayException({
        message: `the agent on ${host.name} did not answer: ${errorText(err)}`,
        details: { host: host.name },
      });
    }
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

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
