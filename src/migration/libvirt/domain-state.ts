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

export function domainStateName(state: number): DomainStateName {
  return DOMAIN_STATES[state] ?? 'nostate';
}
