/** The thesis's five phases, then the terminal states. */
export const ACTIVE_PHASES = ['queued', 'pre-migration', 'reservation', 'pre-copy', 'switchover', 'commitment'] as const;
// unreachable: the hypervisor moved the guest but it never answered the probes again (the report step decides).
export const TERMINAL_STATES = ['completed', 'unreachable', 'failed', 'aborted', 'rolled-back'] as const;
export const MIGRATION_STATES = [...ACTIVE_PHASES, ...TERMINAL_STATES] as const;

export type ActivePhase = (typeof ACTIVE_PHASES)[number];
export type TerminalState = (typeof TERMINAL_STATES)[number];
export type MigrationState = (typeof MIGRATION_STATES)[number];

export function isTerminal(state: MigrationState): state is TerminalState {
  return (TERMINAL_STATES as readonly string[]).includes(state);
}
