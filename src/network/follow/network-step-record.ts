/** One timed step of the network following the guest (binding, FDB, DVR, FIP), kept on the migration record. */
export interface NetworkStepRecord {
  /** e.g. `pre-plug`, `activate-binding`, `sync host-b`, `delete-source-binding`. */
  step: string;
  host?: string;
  /** ISO-8601, controller clock. */
  startedAt: string;
  durationMs: number;
  ok: boolean;
  error?: string;
  /** What takes over when this step fails, which then does not fail the phase. */
  fallback?: string;
  /** Which migration phase ran it. */
  phase?: 'reservation' | 'switchover' | 'commitment' | 'rollback';
}
