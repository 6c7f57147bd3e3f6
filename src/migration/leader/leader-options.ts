export interface LeaderOptions {
  /** How often a follower tries for the lock, and a leader checks its session. */
  retryIntervalMs: number;
}

export const LEADER_OPTIONS = Symbol('LeaderOptions');
export const DEFAULT_LEADER_RETRY_INTERVAL_MS = 5000;

/** LIVEMIG_LEADER_RETRY_MS: 100 ms … 10 min; a bad value stops the start with a message naming the key. */
export function leaderOptionsFrom(raw: string | undefined): LeaderOptions {
  if (raw === undefined || raw === '') return { retryIntervalMs: DEFAULT_LEADER_RETRY_INTERVAL_MS };
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 100 || value > 600_000) {
    throw new Error(`invalid configuration: LIVEMIG_LEADER_RETRY_MS must be an integer from 100 to 600000, got ${raw}`);
  }
  return { retryIntervalMs: value };
}
