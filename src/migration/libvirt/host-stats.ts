import { numberParam, TypedParams } from './typed-params';

export interface NodeInfo {
  readonly model: string;
  readonly memoryKiB: number;
  readonly cpus: number;
  readonly mhz: number;
  readonly nodes: number;
  readonly sockets: number;
  readonly cores: number;
  readonly threads: number;
}

/** virNodeGetCPUStats over all CPUs, cumulative ns (fields the driver reports). */
export interface NodeCpuStats {
  readonly kernelNs?: number;
  readonly userNs?: number;
  readonly idleNs?: number;
  readonly iowaitNs?: number;
}

/** virNodeGetMemoryStats over all cells, KiB. */
export interface NodeMemoryStats {
  readonly totalKiB?: number;
  readonly freeKiB?: number;
  readonly buffersKiB?: number;
  readonly cachedKiB?: number;
}

/** virDomainMemoryStats, KiB except the counters; tags the hypervisor does not report are absent. */
export interface DomainMemoryStats {
  readonly swapInKiB?: number;
  readonly swapOutKiB?: number;
  readonly majorFaults?: number;
  readonly minorFaults?: number;
  readonly unusedKiB?: number;
  readonly availableKiB?: number;
  readonly actualBalloonKiB?: number;
  readonly rssKiB?: number;
  readonly usableKiB?: number;
  readonly lastUpdateEpochS?: number;
  readonly diskCachesKiB?: number;
  readonly hugetlbPgAlloc?: number;
  readonly hugetlbPgFail?: number;
}

// virDomainMemoryStatTags, indexed by tag value.
const MEMORY_STAT_TAGS: readonly (keyof DomainMemoryStats)[] = [
  'swapInKiB',
  'swapOutKiB',
  'majorFaults',
  'minorFaults',
  'unusedKiB',
  'availableKiB',
  'actualBalloonKiB',
  'rssKiB',
  'usableKiB',
  'lastUpdateEpochS',
  'diskCachesKiB',
  'hugetlbPgAlloc',
  'hugetlbPgFail',
];

export function toNodeCpuStats(raw: Readonly<Record<string, number>>): NodeCpuStats {
  return { kernelNs: raw['kernel'], userNs: raw['user'], idleNs: raw['idle'], iowaitNs: raw['iowait'] };
}

export function toNodeMemoryStats(raw: Readonly<Record<string, number>>): NodeMemoryStats {
  return { totalKiB: raw['total'], freeKiB: raw['free'], buffersKiB: raw['buffers'], cachedKiB: raw['cached'] };
}

export function toDomainMemoryStats(raw: Readonly<Record<string, number>>): DomainMemoryStats {
  const out: Partial<Record<keyof DomainMemoryStats, number>> = {};
  for (const [tag, value] of Object.entries(raw)) {
    const name = MEMORY_STAT_TAGS[Number(tag)];
    if (name !== undefined) out[name] = value;
  }
  return out;
}

/** virDomainDirtyRateStatus */
export type DirtyRateStatus = 'unstarted' | 'measuring' | 'measured';
const DIRTY_RATE_STATUS: readonly DirtyRateStatus[] = ['unstarted', 'measuring', 'measured'];

/** The VIR_DOMAIN_STATS_DIRTYRATE group of domain stats. */
export interface DirtyRate {
  readonly status: DirtyRateStatus;
  readonly startTimeS?: number;
  readonly calcPeriodS?: number;
  readonly megabytesPerSecond?: number;
  readonly calcMode?: string;
}

export function toDirtyRate(params: TypedParams): DirtyRate {
  const status = DIRTY_RATE_STATUS[numberParam(params, 'dirtyrate.calc_status') ?? 0] ?? 'unstarted';
  const mode = params['dirtyrate.calc_mode'];
  return {
    status,
    startTimeS: numberParam(params, 'dirtyrate.calc_start_time'),
    calcPeriodS: numberParam(params, 'dirtyrate.calc_period'),
    megabytesPerSecond: numberParam(params, 'dirtyrate.megabytes_per_second'),
    calcMode: typeof mode === 'string' ? mode : undefined,
  };
}

/** CPU and memory of one domain from virConnectGetAllDomainStats (STATE, CPU_TOTAL, BALLOON groups). */
export interface DomainStatsRecord {
  readonly name: string;
  readonly uuid: string;
  readonly state?: number;
  readonly cpuTimeNs?: number;
  readonly cpuUserNs?: number;
  readonly cpuSystemNs?: number;
  readonly balloonCurrentKiB?: number;
  readonly balloonMaximumKiB?: number;
  readonly balloonRssKiB?: number;
  /** Every field as libvirt named it, for anything not picked out above. */
  readonly params: TypedParams;
}

export function toDomainStatsRecord(name: string, uuid: string, params: TypedParams): DomainStatsRecord {
  return {
    name,
    uuid,
    state: numberParam(params, 'state.state'),
    cpuTimeNs: numberParam(params, 'cpu.time'),
    cpuUserNs: numberParam(params, 'cpu.user'),
    cpuSystemNs: numberParam(params, 'cpu.system'),
    balloonCurrentKiB: numberParam(params, 'balloon.current'),
    balloonMaximumKiB: numberParam(params, 'balloon.maximum'),
    balloonRssKiB: numberParam(params, 'balloon.rss'),
    params,
  };
}
