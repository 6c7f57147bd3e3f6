// What one heartbeat answer means for a host's agent state. Pure.

/** Heartbeats missed in a row before a host's agent counts as down. */
export const MISSED_HEARTBEATS_DOWN = 3;

export interface HeartbeatVerdict {
  /** Misses in a row after this heartbeat. */
  missed: number;
  /** The state to record now, or null to leave it as it is. */
  state: 'up' | 'down' | null;
}

export function heartbeatVerdict(missedBefore: number, answered: boolean): HeartbeatVerdict {
  if (answered) return { missed: 0, state: 'up' };
  const missed = missedBefore + 1;
  return { missed, state: missed >= MISSED_HEARTBEATS_DOWN ? 'down' : null };
}
