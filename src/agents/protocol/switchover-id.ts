// Switchover ids name an armed delta on an agent (the controller uses the migration's id). Both sides check them.

const SWITCHOVER_ID = /^[A-Za-z0-9._-]{1,80}$/;

/** Why `id` cannot name a switchover; null when it can. */
export function switchoverIdProblem(id: string): string | null {
  return SWITCHOVER_ID.test(id) ? null : `switchover id "${id.slice(0, 80)}" must be 1-80 letters, digits, dots, dashes or underscores`;
}
