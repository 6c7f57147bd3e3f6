import type { AgentClientFactory, AgentEndpoint } from '../../../src/agents/client/agent.client';
import { FakeAgentClient, newFakeNetworkHost, type FakeNetworkHost, type SharedStorage } from '../agents/fake-agent.client';

const ALL_METHODS = [
  'health',
  'createMarker',
  'readMarker',
  'deleteMarker',
  'startCapture',
  'stopCapture',
  'startProbe',
  'stopProbe',
  'applyNetwork',
  'networkStatus',
  'reconcileNetwork',
] as const;

/**
 * Host agents for engine tests, built on FakeAgentClient. Hosts in the same storage group see the same
 * files, as hosts on one NFS export do; the switches apply to every client made after they are set.
 */
export class FakeAgents {
  readonly down = new Set<string>();
  readonly storageGroup = new Map<string, string>();
  markerWriteFails = false;
  private readonly volumes = new Map<string, SharedStorage>();
  /** Each host's network side (desired state, pushes), kept across the clients made for it. */
  readonly network = new Map<string, FakeNetworkHost>();

  factory: AgentClientFactory = (endpoint: AgentEndpoint) => {
    const group = this.storageGroup.get(endpoint.host) ?? 'shared';
    const volume = this.volumes.get(group) ?? new Map<string, string>();
    this.volumes.set(group, volume);
    const network = this.network.get(endpoint.host) ?? newFakeNetworkHost();
    this.network.set(endpoint.host, network);
    const client = new FakeAgentClient(endpoint.host, volume, network);
    if (this.down.has(endpoint.host)) for (const method of ALL_METHODS) client.failOn(method, 'connect ECONNREFUSED', 0);
    if (this.markerWriteFails) client.failOn('createMarker', "instancesPath is not this agent's instances path", 400);
    return client;
  };
}
