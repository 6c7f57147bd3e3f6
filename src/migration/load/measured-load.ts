// Pure: guest and host load from two samples of libvirt's stats, taken an interval apart.

/** One domain in virConnectGetAllDomainStats: cumulative cpu.time and the QEMU process's RSS. */
export interface DomainLoadSample {
  readonly name: string;
  readonly cpuTimeNs?: number;
  readonly rssKiB?: number;
}

/** virNodeGetCPUStats, cumulative ns. */
export interface NodeCpuSample {
  readonly kernelNs?: number;
  readonly userNs?: number;
  readonly idleNs?: number;
  readonly iowaitNs?: number;
}

export interface HostLoadSample {
  readonly atMs: number;
  readonly domains: readonly DomainLoadSample[];
  readonly nodeCpu: NodeCpuSample;
}

export interface GuestSize {
  readonly vcpus: number;
  readonly ramMiB: number;
}

/** 0..1 of the guest's own vCPUs and RAM; null when libvirt did not report the figure. */
export interface MeasuredGuestLoad {
  readonly cpuUtilisation: number | null;
  readonly ramUtilisation: number | null;
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/**
 * CPU: cpu.time grown over the interval, over the interval times the flavor's vCPUs. RAM: the QEMU
 * process's resident memory over the flavor's RAM (touched guest memory plus QEMU's own, so an upper bound).
 */
export function guestLoads(
  before: HostLoadSample,
  after: HostLoadSample,
  sizes: ReadonlyMap<string, GuestSize>,
): Map<string, MeasuredGuestLoad> {
  const intervalNs = (after.atMs - before.atMs) * 1e6;
  const earlier = new Map(before.domains.map((d) => [d.name, d]));
  const out = new Map<string, MeasuredGuestLoad>();
  for (const d of after.domains) {
    const size = sizes.get(d.name);
    if (!size) continue;
    const prev = earlier.get(d.name);
    const cpu =
      prev?.cpuTimeNs !== undefined && d.cpuTimeNs !== undefined && intervalNs > 0 && size.vcpus > 0
        ? clamp01((d.cpuTimeNs - prev.cpuTimeNs) / (intervalNs * size.vcpus))
        : null;
    const ram = d.rssKiB !== undefined && size.ramMiB > 0 ? clamp01(d.rssKiB / 1024 / size.ramMiB) : null;
    out.set(d.name, { cpuUtilisation: cpu, ramUtilisation: ram });
  }
  return out;
}

/** Busy fraction of the host's CPUs over the interval (kernel + user over all). */
export function nodeCpuBusy(before: NodeCpuSample, after: NodeCpuSample): number | null {
  const busy = (s: NodeCpuSample) => (s.kernelNs ?? NaN) + (s.userNs ?? NaN);
  const total = (s: NodeCpuSample) => busy(s) + (s.idleNs ?? NaN) + (s.iowaitNs ?? 0);
  const dTotal = total(after) - total(before);
  const dBusy = busy(after) - busy(before);
  return Number.isFinite(dTotal) && Number.isFinite(dBusy) && dTotal > 0 ? clamp01(dBusy / dTotal) : null;
}
