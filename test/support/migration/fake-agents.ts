import { randomUUID } from 'node:crypto';
import { AgentError, type AgentClient, type AgentClientFactory, type AgentEndpoint } from '../../../src/agents/agent.client';
import type { StorageMarker } from '../../../src/agents/agent-api';

/**
 * Host agents for engine tests. Hosts in the same storage group see the same files, as hosts on
 * one NFS export do; a host in a group of its own sees only its own markers.
 */
export class FakeAgents {
  readonly down = new Set<string>();
  readonly storageGroup = new Map<string, string>();
  markerWriteFails = false;
  private readonly volumes = new Map<string, Map<string, StorageMarker>>();

  factory: AgentClientFactory = (endpoint: AgentEndpoint) => this.client(endpoint);

  private volumeOf(host: string): Map<string, StorageMarker> {
    const group = this.storageGroup.get(host) ?? 'shared';
    const volume = this.volumes.get(group) ?? new Map<string, StorageMarker>();
    this.volumes.set(group, volume);
    return volume;
  }

  private client(endpoint: AgentEndpoint): AgentClient {
    const host = endpoint.host;
    const guard = () => {
      if (this.down.has(host)) throw new AgentError(host, 'unreachable', 'connect ECONNREFUSED');
    };
    const unsupported = async (): Promise<never> => {
      throw new AgentError(host, 'rejected', 'not modelled by the fake agent', 501);
    };
    return {
      host,
      health: async () => {
        guard();
        return { host, version: 'fake', uptimeSec: 1, time: new Date().toISOString() };
      },
      createMarker: async (instancesPath) => {
        guard();
        if (this.markerWriteFails) throw new AgentError(host, 'rejected', `instancesPath ${instancesPath} is not this agent's instances path`, 400);
        const marker = { markerId: randomUUID(), content: randomUUID(), path: `${instancesPath}/.livemig-markers/x` };
        this.volumeOf(host).set(marker.markerId, marker);
        return marker;
      },
      readMarker: async (markerId) => {
        guard();
        const marker = this.volumeOf(host).get(markerId);
        if (!marker) throw new AgentError(host, 'rejected', `marker ${markerId} not found`, 404);
        return marker;
      },
      deleteMarker: async (markerId) => {
        guard();
        this.volumeOf(host).delete(markerId);
      },
      startCapture: unsupported,
      getCapture: unsupported,
      stopCapture: unsupported,
      downloadCapture: unsupported,
      deleteCapture: unsupported,
      startProbe: unsupported,
      getProbe: unsupported,
      stopProbe: unsupported,
      downloadProbe: unsupported,
      deleteProbe: unsupported,
    };
  }
}
