// The host agent's request and response bodies, shared by the agent and AgentClient.
// Plain types only: both sides import it, neither pulls the other in. The network
// routes carry the desired host state in ./host-network-state.

export interface AgentErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown;
}

export interface AgentHealth {
  host: string;
  version: string;
  uptimeSec: number;
  /** ISO-8601 time on the agent's clock, to spot clock skew between hosts. */
  time: string;
}

/** The host's migration interface: its speed and any tc shaper on it, bits per second (null when absent). */
export interface MigrationLinkInfo {
  interface: string;
  speedBitsPerSec: number | null;
  shapedRateBitsPerSec: number | null;
}

/** A running guest's RAM as its host holds it: written pages are resident, never-written ones are not. */
export interface GuestMemoryInfo {
  domain: string;
  pid: number;
  ramMiB: number;
  residentBytes: number;
  /** Guest RAM that is not zero (read from QEMU's mapping, sampled on large guests): what a first pre-copy round sends. */
  nonZeroBytes: number;
  scannedPages: number;
}

export interface StorageMarker {
  markerId: string;
  content: string;
  path: string;
}

export interface PortRangeBody {
  from: number;
  to: number;
}

export interface MigrationFilterBody {
  migrationPorts: PortRangeBody;
  rpcPorts?: number[];
}

export interface StartCaptureRequest {
  interface: string;
  /** Omitted: capture everything on the interface. */
  filter?: MigrationFilterBody;
  snaplenBytes?: number;
  maxSizeMiB?: number;
  nanosecond?: boolean;
  /** The agent stops a forgotten capture after this long. */
  maxDurationSec?: number;
}

export type SessionState = 'running' | 'stopped' | 'packet-limit' | 'timed-out' | 'failed';

export interface CaptureCounters {
  packetsCaptured: number | null;
  packetsReceivedByFilter: number | null;
  packetsDroppedByKernel: number | null;
}

export interface CaptureInfo {
  captureId: string;
  interface: string;
  bpf: string | null;
  state: SessionState;
  startedAt: string;
  endedAt: string | null;
  fileBytes: number | null;
  counters: CaptureCounters | null;
  message: string | null;
}

export interface StartProbeRequest {
  /** An IP literal. */
  target: string;
  intervalMs?: number;
  interface: string;
  kind?: 'icmp';
  /** Also run a TCP echo client against this port (7 is the echo service). */
  tcpEchoPort?: number;
  payloadBytes?: number;
  maxDurationSec?: number;
}

export interface PingSummary {
  transmitted: number;
  received: number;
  errors: number;
  lossPct: number;
}

export interface TcpEchoSummary {
  port: number;
  sent: number;
  echoed: number;
  /** Connections opened; more than one means the first one did not survive. */
  connections: number;
  connectionErrors: string[];
  /** Longest time between two echoes (or from the start to the first one). */
  maxEchoGapMs: number | null;
}

export interface ProbeInfo {
  probeId: string;
  target: string;
  interface: string;
  intervalMs: number;
  state: SessionState;
  startedAt: string;
  endedAt: string | null;
  ping: PingSummary | null;
  capture: CaptureCounters | null;
  tcpEcho: TcpEchoSummary | null;
  fileBytes: number | null;
  message: string | null;
}
