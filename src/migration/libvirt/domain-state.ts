/** virDomainState names, indexed by value. */
export type DomainStateName = 'nostate' | 'running' | 'blocked' | 'paused' | 'shutdown' | 'shutoff' | 'crashed' | 'pmsuspended';
const DOMAIN_STATES: readonly DomainStateName[] = [
  'nostate',
  'running',
  'blocked',
  'paused',
  'shutdown',
  'shutoff',
  'crashed',
  'pmsuspended',
];

export interface DomainState {
  readonly state: DomainStateName;
  /** The state's reason code (virDomainRunningReason, virDomainPausedReason, ...). */
  readonly reason: number;
}

export interface DomainInfo {
  readonly state: DomainStateName;
  readonly maxMemKiB: number;
  readonly memoryKiB: number;
  readonly vcpus: number;
  readonly cpuTimeNs: number;
}

// virDomainPausedReason / virDomainRunningReason values (checked against the addon in tests).
export const PAUSED_POSTCOPY_FAILED = 13;
export const RUNNING_POSTCOPY_FAILED = 11;

/** The domain is one half of a post-copy migration that failed: its memory is split between the two hosts. */
export function isPostCopyFailed(s: DomainState): boolean {
  return (s.state === 'paused' && s.reason === PAUSED_POSTCOPY_FAILED) || (s.state === 'running' && s.reason === RUNNING_POSTCOPY_FAILED);
}

export function domainStateName(state: number): DomainStateName {
  return DOMAIN_STATES[state] ?? 'nostate';
}
