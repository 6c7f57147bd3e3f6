export interface LeaderOptions {
  /** How often a follower tries for the lock, and a leader checks its session. */
  retryIntervalMs: number;
}

export const LEADER_OPTIONS = Symbol('LeaderOptions');
