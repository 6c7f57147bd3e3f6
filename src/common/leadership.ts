/**
 * Whether this replica is the one that runs periodic work (heartbeats, resyncs, scans), asked right before
 * each round so a period runs once cluster-wide. Provided by the migration module's leader election; a
 * module without it (a single process) runs every round.
 */
export interface Leadership {
  confirmLeadership(): Promise<boolean>;
}

export const LEADERSHIP = Symbol('Leadership');
