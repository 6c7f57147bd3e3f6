import { TypedParamSpec } from './typed-params';

/** virDomainMigrateFlags, values from libvirt-domain.h (checked against the addon in tests). */
export const MigrateFlag = {
  LIVE: 1 << 0,
  PEER2PEER: 1 << 1,
  TUNNELLED: 1 << 2,
  PERSIST_DEST: 1 << 3,
  UNDEFINE_SOURCE: 1 << 4,
  PAUSED: 1 << 5,
  NON_SHARED_DISK: 1 << 6,
  CHANGE_PROTECTION: 1 << 8,
  UNSAFE: 1 << 9,
  COMPRESSED: 1 << 11,
  ABORT_ON_ERROR: 1 << 12,
  AUTO_CONVERGE: 1 << 13,
  POSTCOPY: 1 << 15,
  TLS: 1 << 16,
  PARALLEL: 1 << 17,
  /** Resumes a paused or failed post-copy migration (libvirt 8.5). */
  POSTCOPY_RESUME: 1 << 19,
} as const;

export type MigrateFlagName = keyof typeof MigrateFlag;
export type MigrateFlags = ReadonlySet<MigrateFlagName> | readonly MigrateFlagName[];

/** Typed virDomainMigrateToURI3 parameters. Units are in the names. */
export interface MigrateParams {
  /** Hypervisor migration URI (VIR_MIGRATE_PARAM_URI), e.g. tcp://198.51.100.2; required without PEER2PEER. */
  readonly migrateUri?: string;
  readonly destinationName?: string;
  readonly destinationXml?: string;
  readonly persistentXml?: string;
  readonly bandwidthMiBps?: number;
  readonly bandwidthPostcopyMiBps?: number;
  /**
   * libvirt 9.0 has no downtime migration parameter, so the addon calls
   * virDomainMigrateSetMaxDowntime on the source right before starting the job.
   */
  readonly maxDowntimeMs?: number;
  readonly autoConvergeInitialPct?: number;
  readonly autoConvergeIncrementPct?: number;
  readonly parallelConnections?: number;
  readonly listenAddress?: string;
  readonly compression?: readonly string[];
}

export interface MigrateRequest {
  /** Destination libvirt URI, e.g. qemu+tcp://198.51.100.2/system; used with PEER2PEER. */
  readonly destinationUri?: string;
  readonly params: MigrateParams;
  readonly flags: MigrateFlags;
}

export function migrateFlagsMask(flags: MigrateFlags): number {
  let mask = 0;
  for (const name of flags) mask |= MigrateFlag[name];
  return mask;
}

export function migrateFlagNames(mask: number): MigrateFlagName[] {
  return (Object.keys(MigrateFlag) as MigrateFlagName[]).filter((name) => (mask & MigrateFlag[name]) !== 0);
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  return value;
}

function percent(name: string, value: number): number {
  if (nonNegativeInteger(name, value) > 100) throw new RangeError(`${name} must be at most 100, got ${value}`);
  return value;
}

/** Pure: MigrateParams -> the addon's typed parameter list (libvirt's VIR_MIGRATE_PARAM_* names and types). */
export function toMigrateParamSpecs(params: MigrateParams): TypedParamSpec[] {
  const specs: TypedParamSpec[] = [];
  const text = (field: string, value: string | undefined) => {
    if (value !== undefined) specs.push({ field, type: 'string', value });
  };
  text('migrate_uri', params.migrateUri);
  text('destination_name', params.destinationName);
  text('destination_xml', params.destinationXml);
  text('persistent_xml', params.persistentXml);
  text('listen_address', params.listenAddress);
  for (const method of params.compression ?? []) text('compression', method);
  if (params.bandwidthMiBps !== undefined) {
    specs.push({ field: 'bandwidth', type: 'ullong', value: nonNegativeInteger('bandwidthMiBps', params.bandwidthMiBps) });
  }
  if (params.bandwidthPostcopyMiBps !== undefined) {
    specs.push({
      field: 'bandwidth.postcopy',
      type: 'ullong',
      value: nonNegativeInteger('bandwidthPostcopyMiBps', params.bandwidthPostcopyMiBps),
    });
  }
  if (params.autoConvergeInitialPct !== undefined) {
    specs.push({
      field: 'auto_converge.initial',
      type: 'int',
      value: percent('autoConvergeInitialPct', params.autoConvergeInitialPct),
    });
  }
  if (params.autoConvergeIncrementPct !== undefined) {
    specs.push({
      field: 'auto_converge.increment',
      type: 'int',
      value: percent('autoConvergeIncrementPct', params.autoConvergeIncrementPct),
    });
  }
  if (params.parallelConnections !== undefined) {
    const connections = nonNegativeInteger('parallelConnections', params.parallelConnections);
    if (connections < 1) throw new RangeError('parallelConnections must be at least 1');
    specs.push({ field: 'parallel.connections', type: 'int', value: connections });
  }
  return specs;
}
