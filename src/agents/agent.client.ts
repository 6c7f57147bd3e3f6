import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import {
  AGENT_API_PREFIX,
  type AgentErrorBody,
  type AgentHealth,
  type GuestMemoryInfo,
  type MigrationLinkInfo,
  type AgentNetworkStatus,
  type HostNetworkState,
  type NetworkApplyReport,
  type CaptureInfo,
  type ProbeInfo,
  type StartCaptureRequest,
  type StartProbeRequest,
  type StorageMarker,
} from './agent-api';

/** One host agent as the controller knows it; every agent has its own token. */
export interface AgentEndpoint {
  host: string;
  /** e.g. http://192.0.2.11:7070 */
  url: string;
  token: string;
}

export interface AgentClientTimeouts {
  requestTimeoutMs: number;
  downloadTimeoutMs: number;
}

export const DEFAULT_AGENT_TIMEOUTS: AgentClientTimeouts = { requestTimeoutMs: 10_000, downloadTimeoutMs: 300_000 };

/** The controller's only way to reach a host; services depend on this interface, tests on a fake. */
export interface AgentClient {
  readonly host: string;
  health(): Promise<AgentHealth>;
  /** Speed and shaping of one interface (the migration link), for pre-copy predictions. */
  migrationLink(interfaceName: string): Promise<MigrationLinkInfo>;
  /** How much of a running guest's RAM the host holds (its QEMU's guest-RAM mapping). */
  guestMemory(domain: string, ramMiB: number): Promise<GuestMemoryInfo>;
  createMarker(instancesPath?: string): Promise<StorageMarker>;
  readMarker(markerId: string, instancesPath?: string): Promise<StorageMarker>;
  deleteMarker(markerId: string, instancesPath?: string): Promise<void>;
  startCapture(request: StartCaptureRequest): Promise<CaptureInfo>;
  getCapture(captureId: string): Promise<CaptureInfo>;
  stopCapture(captureId: string): Promise<CaptureInfo>;
  /** Writes the pcap to `destinationFile` and returns its size. */
  downloadCapture(captureId: string, destinationFile: string): Promise<number>;
  deleteCapture(captureId: string): Promise<void>;
  startProbe(request: StartProbeRequest): Promise<ProbeInfo>;
  getProbe(probeId: string): Promise<ProbeInfo>;
  stopProbe(probeId: string): Promise<ProbeInfo>;
  downloadProbe(probeId: string, destinationFile: string): Promise<number>;
  deleteProbe(probeId: string): Promise<void>;
  /** Hands the agent the host's desired network state; it reconciles the host and reports what it changed. */
  applyNetwork(state: HostNetworkState): Promise<NetworkApplyReport>;
  networkStatus(): Promise<AgentNetworkStatus>;
  /** Reconciles again towards the state it already has (repairs drift). */
  reconcileNetwork(): Promise<NetworkApplyReport>;
}

export type AgentFailure = 'rejected' | 'timeout' | 'unreachable';

/** Carries the agent's own reason, so a failed pre-check can say why. */
export class AgentError extends Error {
  override readonly name = 'AgentError';

  constructor(
    readonly host: string,
    readonly failure: AgentFailure,
    /** The agent's reason, or the transport error. */
    readonly reason: string,
    /** HTTP status; 0 when no response came back. */
    readonly statusCode = 0,
    readonly details?: unknown,
  ) {
    super(`agent ${host}: ${reason}${statusCode ? ` (HTTP ${statusCode})` : ''}`);
  }
}

export type AgentClientFactory = (endpoint: AgentEndpoint) => AgentClient;

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
    return this.json('GET', '/health');
  }

  migrationLink(interfaceName: string): Promise<MigrationLinkInfo> {
    return this.json('GET', `/links/${this.id(interfaceName)}`);
  }

  guestMemory(domain: string, ramMiB: number): Promise<GuestMemoryInfo> {
    return this.json('GET', `/guests/${this.id(domain)}/memory?ramMiB=${encodeURIComponent(String(ramMiB))}`);
  }

  createMarker(instancesPath?: string): Promise<StorageMarker> {
    return this.json('POST', '/storage/markers', instancesPath === undefined ? {} : { instancesPath });
  }

  readMarker(markerId: string, instancesPath?: string): Promise<StorageMarker> {
    return this.json('GET', `/storage/markers/${this.id(markerId)}${this.instancesQuery(instancesPath)}`);
  }

  async deleteMarker(markerId: string, instancesPath?: string): Promise<void> {
    await this.request('DELETE', `/storage/markers/${this.id(markerId)}${this.instancesQuery(instancesPath)}`);
  }

  startCapture(request: StartCaptureRequest): Promise<CaptureInfo> {
    return this.json('POST', '/captures', request);
  }

  getCapture(captureId: string): Promise<CaptureInfo> {
    return this.json('GET', `/captures/${this.id(captureId)}`);
  }

  stopCapture(captureId: string): Promise<CaptureInfo> {
    return this.json('POST', `/captures/${this.id(captureId)}/stop`);
  }

  downloadCapture(captureId: string, destinationFile: string): Promise<number> {
    return this.download(`/captures/${this.id(captureId)}/file`, destinationFile);
  }

  async deleteCapture(captureId: string): Promise<void> {
    await this.request('DELETE', `/captures/${this.id(captureId)}`);
  }

  startProbe(request: StartProbeRequest): Promise<ProbeInfo> {
    return this.json('POST', '/probes', request);
  }

  getProbe(probeId: string): Promise<ProbeInfo> {
    return this.json('GET', `/probes/${this.id(probeId)}`);
  }

  stopProbe(probeId: string): Promise<ProbeInfo> {
    return this.json('POST', `/probes/${this.id(probeId)}/stop`);
  }

  downloadProbe(probeId: string, destinationFile: string): Promise<number> {
    return this.download(`/probes/${this.id(probeId)}/file`, destinationFile);
  }

  async deleteProbe(probeId: string): Promise<void> {
    await this.request('DELETE', `/probes/${this.id(probeId)}`);
  }

  applyNetwork(state: HostNetworkState): Promise<NetworkApplyReport> {
    return this.json('PUT', '/network', state);
  }

  networkStatus(): Promise<AgentNetworkStatus> {
    return this.json('GET', '/network');
  }

  reconcileNetwork(): Promise<NetworkApplyReport> {
    return this.json('POST', '/network/reconcile');
  }

  private id(value: string): string {
    return encodeURIComponent(value);
  }

  private instancesQuery(instancesPath: string | undefined): string {
    return instancesPath === undefined ? '' : `?instancesPath=${encodeURIComponent(instancesPath)}`;
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
    const url = new URL(`${AGENT_API_PREFIX}${path}`, this.baseUrl);
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
