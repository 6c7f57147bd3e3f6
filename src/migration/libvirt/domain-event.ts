import { JobStats, JobType, toJobStats } from './job-stats';
import { TypedParams } from './typed-params';

export type LifecycleEventName =
  'defined' | 'undefined' | 'started' | 'suspended' | 'resumed' | 'stopped' | 'shutdown' | 'pmsuspended' | 'crashed';
const LIFECYCLE_EVENTS: readonly LifecycleEventName[] = [
  'defined',
  'undefined',
  'started',
  'suspended',
  'resumed',
  'stopped',
  'shutdown',
  'pmsuspended',
  'crashed',
];

// Detail names for the events a migration produces; others keep just the number.
const LIFECYCLE_DETAILS: Partial<Record<LifecycleEventName, readonly string[]>> = {
  defined: ['added', 'updated', 'renamed', 'from_snapshot'],
  started: ['booted', 'migrated', 'restored', 'from_snapshot', 'wakeup'],
  suspended: ['paused', 'migrated', 'ioerror', 'watchdog', 'restored', 'from_snapshot', 'api_error', 'postcopy', 'postcopy_failed'],
  resumed: ['unpaused', 'migrated', 'from_snapshot', 'postcopy', 'postcopy_failed'],
  stopped: ['shutdown', 'destroyed', 'crashed', 'migrated', 'saved', 'failed', 'from_snapshot'],
};

export interface EventDomain {
  readonly name: string;
  readonly uuid: string;
}

export interface LifecycleEvent {
  readonly kind: 'lifecycle';
  readonly domain: EventDomain;
  readonly event: LifecycleEventName;
  /** Detail name such as 'migrated', or the raw number when livemig does not name it. */
  readonly detail: string;
  readonly detailCode: number;
}

export interface MigrationIterationEvent {
  readonly kind: 'migrationIteration';
  readonly domain: EventDomain;
  /** Pre-copy pass number as QEMU counts it (starts at 1). */
  readonly iteration: number;
}

export interface JobCompletedEvent {
  readonly kind: 'jobCompleted';
  readonly domain: EventDomain;
  readonly stats: JobStats;
}

export type DomainEvent = LifecycleEvent | MigrationIterationEvent | JobCompletedEvent;

/** The event object the addon hands to its callback. */
export interface NativeDomainEvent {
  readonly kind: 'lifecycle' | 'migrationIteration' | 'jobCompleted';
  readonly name: string;
  readonly uuid: string;
  readonly event?: number;
  readonly detail?: number;
  readonly iteration?: number;
  readonly params?: TypedParams;
}

/** Pure: the addon's event to a DomainEvent. */
export function toDomainEvent(raw: NativeDomainEvent): DomainEvent {
  const domain = { name: raw.name, uuid: raw.uuid };
  switch (raw.kind) {
    case 'lifecycle': {
      const code = raw.event ?? -1;
      const event = LIFECYCLE_EVENTS[code];
      if (event === undefined) throw new RangeError(`unknown lifecycle event ${code}`);
      const detailCode = raw.detail ?? 0;
      const detail = LIFECYCLE_DETAILS[event]?.[detailCode] ?? String(detailCode);
      return { kind: 'lifecycle', domain, event, detail, detailCode };
    }
    case 'migrationIteration':
      return { kind: 'migrationIteration', domain, iteration: raw.iteration ?? 0 };
    case 'jobCompleted':
      // The event carries the completed job's statistics (same fields as GetJobStats).
      return { kind: 'jobCompleted', domain, stats: toJobStats(JobType.COMPLETED, raw.params ?? {}, true) };
  }
}
