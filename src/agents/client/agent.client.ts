import type {
  AgentHealth,
  AgentNetworkStatus,
  ArmedSwitchoverReport,
  CaptureInfo,
  FiredSwitchoverReport,
  GuestMemoryInfo,
  HostNetworkState,
  MigrationLinkInfo,
  NetworkApplyReport,
  ProbeInfo,
  StartCaptureRequest,
  StartProbeRequest,
  StorageMarker,
} from '../protocol';

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
  /**
   * Applying or arming a desired network state observes the host and runs its commands: on a loaded host
   * (every core busy with guests) that takes seconds, and a timeout would fail a pre-plug the agent completes.
   */
  networkTimeoutMs?: number;
}

export const DEFAULT_AGENT_TIMEOUTS: AgentClientTimeouts = {
  requestTimeoutMs: 10_000,
  downloadTimeoutMs: 300_000,
  networkTimeoutMs: 45_000,
};

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
  /** Plans the delta to `state` (the host after a switchover) now, to run it later on `fireSwitchover`. */
  armSwitchover(id: string, state: HostNetworkState): Promise<ArmedSwitchoverReport>;
  /** Runs the armed delta; the controller's next applyNetwork confirms it. */
  fireSwitchover(id: string): Promise<FiredSwitchoverReport>;
  disarmSwitchover(id: string): Promise<void>;
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
