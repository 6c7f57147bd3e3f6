import { normalizeIp } from '../decode/ip-address';

export interface PortRange {
  from: number;
  to: number;
}

export interface AnalysisOptions {
  /** The guest's IP: the probe target. Without it, the IP that received the most echo requests. */
  vmIp?: string;
  /** QEMU's migration ports (inclusive). */
  migrationPorts: PortRange;
  /** libvirt RPC ports, reported apart from the migration stream (16509; 22 when tunnelled over ssh). */
  rpcPorts: number[];
  /** TCP echo probe ports, reported as the application-visible stall. */
  echoPorts: number[];
  /** The prober's interval; without it, the median gap between consecutive requests. */
  probeIntervalMs?: number;
  /** Timeline bucket width. */
  timelineMs: number;
}

export const DEFAULT_ANALYSIS_OPTIONS: AnalysisOptions = {
  migrationPorts: { from: 49152, to: 49215 },
  rpcPorts: [16509, 22],
  echoPorts: [7],
  timelineMs: 100,
};

export class AnalysisOptionsError extends Error {
  override readonly name = 'AnalysisOptionsError';
}

const isPort = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 65535;

/** Fills defaults and rejects values that would give meaningless numbers. */
export function resolveAnalysisOptions(given: Partial<AnalysisOptions> = {}): AnalysisOptions {
  const options: AnalysisOptions = { ...DEFAULT_ANALYSIS_OPTIONS, ...stripUndefined(given) };
  const { from, to } = options.migrationPorts;
  if (!isPort(from) || !isPort(to) || from > to) throw new AnalysisOptionsError(`migration ports ${from}-${to} are not a valid range`);
  for (const port of [...options.rpcPorts, ...options.echoPorts]) {
    if (!isPort(port)) throw new AnalysisOptionsError(`port ${port} is not a valid TCP port`);
  }
  if (!(Number.isFinite(options.timelineMs) && options.timelineMs >= 1)) {
    throw new AnalysisOptionsError(`timelineMs ${options.timelineMs} must be a number ≥ 1`);
  }
  if (options.probeIntervalMs !== undefined && !(Number.isFinite(options.probeIntervalMs) && options.probeIntervalMs > 0)) {
    throw new AnalysisOptionsError(`probeIntervalMs ${options.probeIntervalMs} must be a positive number`);
  }
  if (options.vmIp !== undefined) {
    const ip = normalizeIp(options.vmIp);
    if (ip === null) throw new AnalysisOptionsError(`vmIp ${JSON.stringify(options.vmIp)} is not an IP address`);
    options.vmIp = ip;
  }
  return options;
}

function stripUndefined(given: Partial<AnalysisOptions>): Partial<AnalysisOptions> {
  return Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
}
