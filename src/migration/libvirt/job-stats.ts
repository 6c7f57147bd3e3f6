import { camelCaseField, TypedParams } from './typed-params';

/** virDomainJobType */
export const JobType = { NONE: 0, BOUNDED: 1, UNBOUNDED: 2, COMPLETED: 3, FAILED: 4, CANCELLED: 5 } as const;
export type JobTypeName = 'none' | 'bounded' | 'unbounded' | 'completed' | 'failed' | 'cancelled';
const JOB_TYPE_NAMES: readonly JobTypeName[] = ['none', 'bounded', 'unbounded', 'completed', 'failed', 'cancelled'];

/**
 * virDomainGetJobStats, with libvirt's field names in camelCase. Units are libvirt's:
 * times in ms, data and memory in bytes, memoryBps/diskBps in bytes/s, memoryDirtyRate in pages/s,
 * autoConvergeThrottle in percent. Any field the hypervisor did not report is absent.
 */
export interface JobStats {
  readonly type: JobTypeName;
  /** True when read with VIR_DOMAIN_JOB_STATS_COMPLETED (the last finished job, not a running one). */
  readonly completed: boolean;
  readonly operation?: number;
  readonly timeElapsed?: number;
  readonly timeElapsedNet?: number;
  readonly timeRemaining?: number;
  readonly downtime?: number;
  readonly downtimeNet?: number;
  readonly setupTime?: number;
  readonly dataTotal?: number;
  readonly dataProcessed?: number;
  readonly dataRemaining?: number;
  readonly memoryTotal?: number;
  readonly memoryProcessed?: number;
  readonly memoryRemaining?: number;
  readonly memoryConstant?: number;
  readonly memoryNormal?: number;
  readonly memoryNormalBytes?: number;
  readonly memoryBps?: number;
  readonly memoryDirtyRate?: number;
  readonly memoryPageSize?: number;
  readonly memoryIteration?: number;
  readonly memoryPostcopyRequests?: number;
  readonly diskTotal?: number;
  readonly diskProcessed?: number;
  readonly diskRemaining?: number;
  readonly diskBps?: number;
  readonly compressionCache?: number;
  readonly compressionBytes?: number;
  readonly compressionPages?: number;
  readonly compressionCacheMisses?: number;
  readonly compressionOverflow?: number;
  readonly autoConvergeThrottle?: number;
  readonly success?: boolean;
  readonly errmsg?: string;
  /** Fields this list does not name yet (newer libvirt), camelCased. */
  readonly extra?: Readonly<Record<string, number | string | boolean>>;
}

type KnownField = Exclude<keyof JobStats, 'type' | 'completed' | 'extra'>;
type ValueKind = 'number' | 'string' | 'boolean';
const NUMBER: ValueKind = 'number';
const KNOWN_FIELDS: Readonly<Record<KnownField, ValueKind>> = {
  operation: NUMBER,
  timeElapsed: NUMBER,
  timeElapsedNet: NUMBER,
  timeRemaining: NUMBER,
  downtime: NUMBER,
  downtimeNet: NUMBER,
  setupTime: NUMBER,
  dataTotal: NUMBER,
  dataProcessed: NUMBER,
  dataRemaining: NUMBER,
  memoryTotal: NUMBER,
  memoryProcessed: NUMBER,
  memoryRemaining: NUMBER,
  memoryConstant: NUMBER,
  memoryNormal: NUMBER,
  memoryNormalBytes: NUMBER,
  memoryBps: NUMBER,
  memoryDirtyRate: NUMBER,
  memoryPageSize: NUMBER,
  memoryIteration: NUMBER,
  memoryPostcopyRequests: NUMBER,
  diskTotal: NUMBER,
  diskProcessed: NUMBER,
  diskRemaining: NUMBER,
  diskBps: NUMBER,
  compressionCache: NUMBER,
  compressionBytes: NUMBER,
  compressionPages: NUMBER,
  compressionCacheMisses: NUMBER,
  compressionOverflow: NUMBER,
  autoConvergeThrottle: NUMBER,
  success: 'boolean',
  errmsg: 'string',
};

function isKnownField(key: string): key is KnownField {
  return Object.prototype.hasOwnProperty.call(KNOWN_FIELDS, key);
}

export function jobTypeName(type: number): JobTypeName {
  return JOB_TYPE_NAMES[type] ?? 'none';
}

/** Pure: the addon's {type, params} to a JobStats. */
export function toJobStats(type: number, params: TypedParams, completed: boolean): JobStats {
  const known: Record<string, number | string | boolean> = {};
  const extra: Record<string, number | string | boolean> = {};
  for (const [field, value] of Object.entries(params)) {
    const key = camelCaseField(field);
    // A known field with an unexpected value type goes to extra rather than lying about its type.
    if (isKnownField(key) && typeof value === KNOWN_FIELDS[key]) known[key] = value;
    else extra[key] = value;
  }
  // Every key in `known` was checked against JobStats' field types above.
  const stats = { type: jobTypeName(type), completed, ...known } as JobStats;
  return Object.keys(extra).length > 0 ? { ...stats, extra } : stats;
}
