/** One timed network action of a migration (a binding change on one port, or the push to one host). */
export interface NetworkStep {
  /** `bind-inactive`, `activate`, `unbind` (with the port), `arm`, `fire` or `sync`. */
  step: string;
  host?: string;
  portId?: string;
  /** ISO-8601. */
  startedAt: string;
  durationMs: number;
  ok: boolean;
  error?: string;
  /** What takes over when this step fails, which then does not fail the phase (an arm falls back to the full push). */
  fallback?: string;
}
