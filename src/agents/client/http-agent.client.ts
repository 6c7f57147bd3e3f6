import { createWriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
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
import { AgentTransport, readText, type AgentTls } from './agent-transport';

/** Without TLS: plain http or https checked against the system's CAs. */
export const createHttpAgentClient: AgentClientFactory = httpAgentClientFactory(null);

// With TLS configured, every agent is reached over https and its certificate is checked against the CA; a plain
// http endpoint is refused before any byte (and the token) is sent.
export function httpAgentClientFactory(tls: AgentTls | null): AgentClientFactory {
  const transport = new AgentTransport(tls);
  return (endpoint) => {
    if (tls !== null && !endpoint.url.startsWith('https://')) {
      throw new AgentError(
        endpoint.host,
        'rejected',
        'the agent channel requires https (LIVEMIG_AGENT_TLS_CA is set): plain http endpoints are refused',
      );
    }
    return new HttpAgentClient(endpoint, DEFAULT_AGENT_TIMEOUTS, transport);
  };
}

function isErrorBody(value: unknown): value is AgentErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as AgentErrorBody).message === 'string';
}

export class HttpAgentClient implements AgentClient {
  private readonly baseUrl: URL;

  constructor(
    private readonly endpoint: AgentEndpoint,
    private readonly timeouts: AgentClientTimeouts = DEFAULT_AGENT_TIMEOUTS,
    private readonly transport: AgentTransport = new AgentTransport(null),
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
    await this.call('DELETE', agentPaths.marker(markerId, instancesPath));
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
    await this.call('DELETE', agentPaths.session('captures', captureId));
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
    await this.call('DELETE', agentPaths.session('probes', probeId));
  }

  applyNetwork(state: HostNetworkState): Promise<NetworkApplyReport> {
    return this.json('PUT', agentPaths.network(), state, this.networkTimeoutMs);
  }

  networkStatus(): Promise<AgentNetworkStatus> {
    return this.json('GET', agentPaths.network());
  }

  reconcileNetwork(): Promise<NetworkApplyReport> {
    return this.json('POST', agentPaths.networkReconcile(), undefined, this.networkTimeoutMs);
  }

  armSwitchover(id: string, state: HostNetworkState): Promise<ArmedSwitchoverReport> {
    return this.json('PUT', agentPaths.switchover(id), state, this.networkTimeoutMs);
  }

  private get networkTimeoutMs(): number {
    return this.timeouts.networkTimeoutMs ?? this.timeouts.requestTimeoutMs;
  }

  fireSwitchover(id: string): Promise<FiredSwitchoverReport> {
    return this.json('POST', agentPaths.switchoverFire(id));
  }

  async disarmSwitchover(id: string): Promise<void> {
    await this.call('DELETE', agentPaths.switchover(id));
  }

  private async json<T>(method: string, path: string, body?: unknown, timeoutMs = this.timeouts.requestTimeoutMs): Promise<T> {
    const signal = AbortSignal.timeout(timeoutMs);
    const response = await this.request(method, path, signal, body);
    try {
      return JSON.parse(await readText(response)) as T;
    } catch (err) {
      throw err instanceof SyntaxError
        ? new AgentError(this.host, 'rejected', 'the agent answered with invalid JSON', response.statusCode)
        : this.transportError(err);
    }
  }

  /** A request whose answer has no body (204). */
  private async call(method: string, path: string): Promise<void> {
    const response = await this.request(method, path, AbortSignal.timeout(this.timeouts.requestTimeoutMs));
    await readText(response).catch((err: unknown) => {
      throw this.transportError(err);
    });
  }

  private async download(path: string, destinationFile: string): Promise<number> {
    const response = await this.request('GET', path, AbortSignal.timeout(this.timeouts.downloadTimeoutMs));
    let bytes = 0;
    response.on('data', (chunk: Buffer) => (bytes += chunk.length));
    try {
      await pipeline(response, createWriteStream(destinationFile));
    } catch (err) {
      throw this.transportError(err);
    }
    return bytes;
  }

  private async request(method: string, path: string, signal: AbortSignal, body?: unknown): Promise<IncomingMessage> {
    const url = new URL(path, this.baseUrl);
    const headers: Record<string, string> = { authorization: `Bearer ${this.endpoint.token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: IncomingMessage;
    try {
      response = await this.transport.send(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    } catch (err) {
      throw this.transportError(err);
    }
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) return response;
    const text = await readText(response).catch(() => '');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (isErrorBody(parsed)) throw new AgentError(this.host, 'rejected', parsed.message, status, parsed.details);
    // Not an agent's error body: whatever answered is not echoed (the endpoint could point anywhere).
    throw new AgentError(
      this.host,
      'rejected',
      `HTTP ${status}, and the reply is not a livemig agent's (${text.length} bytes, not shown)`,
      status,
    );
  }

  private transportError(err: unknown): AgentError {
    if (err instanceof AgentError) return err;
    const e = err as { name?: string; message?: string; code?: string };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return new AgentError(this.host, 'timeout', 'request timed out');
    // TLS refusals (unknown CA, wrong name, no client certificate) carry their OpenSSL code: say it plainly.
    if (e.code !== undefined && /CERT|SSL|TLS|SELF_SIGNED|ALTNAME|HANDSHAKE/.test(e.code)) {
      return new AgentError(this.host, 'unreachable', `TLS to the agent failed: ${e.code}`);
    }
    return new AgentError(this.host, 'unreachable', e.message ?? String(err));
  }
}
