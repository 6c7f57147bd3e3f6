import type { NetworkStepRecord } from './network-step-record';

// The migration engine's view of the network model: the port bindings and the
// DVR/FIP state that must follow the guest. Each call returns its timed steps
// and resolves to an empty list for an instance without ports.

export interface NetworkFollower {
  /** Reservation: INACTIVE bindings on the destination, destination pre-plugged (bridge, qrouter, fip namespace). */
  prePlug(instanceId: string, destinationHostId: string): Promise<NetworkStepRecord[]>;
  /** After pre-plug, while the guest copies: each host that changes at switchover holds its delta ready. */
  arm(instanceId: string, destinationHostId: string): Promise<NetworkStepRecord[]>;
  /** Switchover: the armed deltas fire, then destination bindings ACTIVE and the full push confirms (FDB, FIP). */
  switchover(instanceId: string, destinationHostId: string): Promise<NetworkStepRecord[]>;
  /** Commitment: source bindings deleted; the source's qrouter and fip state go when nothing else needs them. */
  commit(instanceId: string, sourceHostId: string): Promise<NetworkStepRecord[]>;
  /** Failure or abort: back to exactly the state before prePlug. */
  rollback(instanceId: string, sourceHostId: string, destinationHostId: string): Promise<NetworkStepRecord[]>;
  /** The instance's floating IP, probed from outside during the migration. */
  floatingIpOf(instanceId: string): Promise<string | null>;
}

export const NETWORK_FOLLOWER = Symbol('NetworkFollower');
