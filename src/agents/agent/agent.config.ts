export interface AgentConfig {
  /** The name this agent reports; the controller checks it against its inventory. */
  host: string;
  token: string;
  /** Where captures and probe pcaps are written. */
  dataDir: string;
  /** Nova's instances_path on this host; the only directory markers are written into. */
  instancesPath: string;
  version: string;
  /** The host's interface onto the external network (macvlan parent of fg-/qg- devices); unset: no floating IPs here. */
  externalInterface?: string;
  /** How often the network state is checked and repaired; 0 disables. */
  reconcileIntervalMs?: number;
  /** Prefix of every namespace the agent makes, for agents sharing one machine (the lab); '' on real hosts. */
  netnsPrefix?: string;
  /** Serve HTTPS with this certificate; with clientCa, only clients holding a certificate it signed get in. */
  tls?: AgentServerTls;
  /** Per-agent capture budget; unset fields take DEFAULT_CAPTURE_LIMITS. */
  captureLimits?: Partial<CaptureLimits>;
}

export interface CaptureLimits {
  /** Captures running at once; one more is 429. */
  maxConcurrent: number;
  /** Bytes all kept captures hold or may reach (running ones at their maxSizeMiB); past it 429. */
  maxBytes: number;
}

export const DEFAULT_CAPTURE_LIMITS: CaptureLimits = { maxConcurrent: 4, maxBytes: 32 * 1024 ** 3 };

/** PEM texts. */
export interface AgentServerTls {
  cert: string;
  key: string;
  /** Set: mutual TLS, a client certificate signed by this CA is required. */
  clientCa?: string;
}

export const AGENT_CONFIG = Symbol('AgentConfig');

export const DEFAULT_AGENT_DATA_DIR = '/var/lib/livemig-agent';
export const DEFAULT_INSTANCES_PATH = '/var/lib/nova/instances';
export const DEFAULT_RECONCILE_INTERVAL_MS = 2_000;
