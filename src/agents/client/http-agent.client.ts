import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import {
  agentPaths,
  type AgentErrorBody,
  type AgentHealth,
  type AgentNetworkStatus,
  type ArmedSwitchoverReport,
  type FiredSwitchoverReport,
  type CaptureInfo,
  type GuestMemoryInfo,
  type HostNetworkState,
  type MigrationLinkInfo,
  type NetworkApplyReport,
  type ProbeInfo,
  type StartCaptureRequest,
  type StartProbeRequest,
  type StorageMarker,
} from '../protocol';
import {
  AgentError,
  DEFAULT_AGENT_TIMEOUTS,
  type AgentClient,
  type AgentClientFactory,
  type AgentClientTimeouts,
  type AgentEndpoint,
} from './agent.client';

export const createHttpAgentClient: AgentClientFactory = (endpoint) => new HttpAgentClient(endpoint);

function isErrorBody(value: unknown): value is AgentErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as AgentErrorBody).message === 'string';
}

export class HttpAgentClient implements AgentClient {
  private readonly baseUrl: URL;

  constructor(
    private readonly endpoint: AgentEndpoint,
    private readonly timeouts: AgentClientTimeouts = DEFAULT_AGENT_TIMEOUTS,
  ) {
    this.baseUrl = new URL(endpoint.url);
    if (this.baseUrl.protocol !== 'http:' && this.baseUrl.protocol !== 'https:') {
      throw new RangeError(`agent URL "${endpoint.url}" must be http or https`);
    }
  }

  get host(): string {
    return this.endpoint.host;
  }

  health(): Promise<AgentHealth> {
    return this.json('GET', agentPaths.health());
  }

  migrationLink(interfaceName: string): Promise<MigrationLinkInfo> {
    return this.json('GET', agentPaths.link(interfaceName));
  }

  guestMemory(domain: string, ramMiB: number): Promise<GuestMemoryInfo> {
    return this.json('GET', agentPaths.guestMemory(domain, ramMiB));
  }

  createMarker(instancesPath?: string): Promise<StorageMarker> {
    return this.json('POST', agentPaths.markers(), instancesPath === undefined ? {} : { instancesPath });
  }

  readMarker(markerId: string, instancesPath?: string): Promise<StorageMarker> {
    return this.json('GET', agentPaths.marker(markerId, instancesPath));
  }

  async deleteMarker(markerId: string, instancesPath?: string): Promise<void> {
    await this.request('DELETE', agentPaths.marker(markerId, instancesPath));
  }

  startCapture(request: StartCaptureRequest): Promise<CaptureInfo> {
    return this.json('POST', agentPaths.sessions('captures'), request);
  }

  getCapture(captureId: string): Promise<CaptureInfo> {
    return this.json('GET', agentPaths.session('captures', captureId));
  }

  stopCapture(captureId: string): Promise<CaptureInfo> {
    return this.json('POST', agentPaths.sessionStop('captures', captureId));
  }

  downloadCapture(captureId: string, destinationFile: string): Promise<number> {
    return this.download(agentPaths.sessionFile('captures', captureId), destinationFile);
  }

  async deleteCapture(captureId: string): Promise<void> {
    await this.request('DELETE', agentPaths.session('captures', captureId));
  }

  startProbe(request: StartProbeRequest): Promise<ProbeInfo> {
    return this.json('POST', agentPaths.sessions('probes'), request);
  }

  getProbe(probeId: string): Promise<ProbeInfo> {
    return this.json('GET', agentPaths.session('probes', probeId));
  }

  stopProbe(probeId: string): Promise<ProbeInfo> {
    return this.json('POST', agentPaths.sessionStop('probes', probeId));
  }

  downloadProbe(probeId: string, destinationFile: string): Promise<number> {
    return this.download(agentPaths.sessionFile('probes', probeId), destinationFile);
  }

  async deleteProbe(probeId: string): Promise<void> {
    await this.request('DELETE', agentPaths.session('probes', probeId));
  }

  applyNetwork(state: HostNetworkState): Promise<NetworkApplyReport> {
    return this.json('PUT', agentPaths.network(), state);
  }

  networkStatus(): Promise<AgentNetworkStatus> {
    return this.json('GET', agentPaths.network());
  }

  reconcileNetwork(): Promise<NetworkApplyReport> {
    return this.json('POST', agentPaths.networkReconcile());
  }

  armSwitchover(id: string, state: HostNetworkState): Promise<ArmedSwitchoverReport> {
    return this.json('PUT', agentPaths.switchover(id), state);
  }

  fireSwitchover(id: string): Promise<FiredSwitchoverReport> {
    return this.json('POST', agentPaths.switchoverFire(id));
  }

  async disarmSwitchover(id: string): Promise<void> {
    await this.request('DELETE', agentPaths.switchover(id));
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.request(method, path, body);
    return (await response.json()) as T;
  }

  private async download(path: string, destinationFile: string): Promise<number> {
    const response = await this.request('GET', path, undefined, this.timeouts.downloadTimeoutMs);
    if (!response.body) throw new AgentError(this.host, 'rejected', 'empty file response', response.status);
    let bytes = 0;
    const source = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    source.on('data', (chunk: Buffer) => (bytes += chunk.length));
    try {
      await pipeline(source, createWriteStream(destinationFile));
    } catch (err) {
      throw this.transportError(err);
    }
    return bytes;
  }

  private async request(method: string, path: string, body?: unknown, timeoutMs = this.timeouts.requestTimeoutMs): Promise<Response> {
    const url = new URL(path, this.baseUrl);
    const headers: Record<string, string> = { authorization: `Bearer ${this.endpoint.token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw this.transportError(err);
    }
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (isErrorBody(parsed)) throw new AgentError(this.host, 'rejected', parsed.message, response.status, parsed.details);
    throw new AgentError(this.host, 'rejected', text.slice(0, 200) || response.statusText, response.status);
  }

  private transportError(err: unknown): AgentError {
    if (err instanceof AgentError) return err;
    const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return new AgentError(this.host, 'timeout', 'request timed out');
    const cause = e.cause?.code ?? e.cause?.message;
    return new AgentError(this.host, 'unreachable', cause ? `${e.message ?? 'fetch failed'}: ${cause}` : (e.message ?? String(err)));
  }
}
