import type { HeldNetworkState, NetworkDrift } from '../../agents/protocol';

/** One host's outcome of a push of the desired network state. */
export interface HostSyncResult {
  host: string;
  hostId: string;
  ok: boolean;
  durationMs: number;
  revision: number;
  drift: NetworkDrift[];
  error?: string;
  /** The agent refused the state (409): what it holds instead. */
  heldBy?: HeldNetworkState;
  /** Set when a take-over replaced another generation's state on this host. */
  tookOverFrom?: string | null;
}

export interface NetworkSyncReport {
  revision: number;
  hosts: HostSyncResult[];
  /** Names of the hosts the push did not reach or that refused it. */
  notUpdated: string[];
}

export type Synced<T> = T & { sync: NetworkSyncReport };
