// Pure: what chooseStrategy() needs, from what was measured before the copy.
import { hypervisorAbility, versionText, type HypervisorVersions, type StrategyInputs } from '../core';
import type { PrecopyRecordInputs } from './precopy-record';

/** What an earlier migration from the same host carried at its best, and over how many connections. */
export interface StreamRate {
  peakBytesPerSec: number;
  multifdChannels: number;
}

/** Idle CPU time over a short window on the source, from virNodeGetCPUStats read twice. */
export interface CpuWindow {
  cpus: number;
  idleShare: number;
}

export interface StrategyFacts {
  precopy: PrecopyRecordInputs;
  history: readonly StreamRate[];
  cpu: CpuWindow | null;
  versions: HypervisorVersions | null;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The link's capacity is the agent's reading (tc shaper or interface speed); without one, the best any earlier
 * migration from the host carried. One stream's rate is the median peak of earlier single-stream migrations.
 */
export function strategyInputs(facts: StrategyFacts): StrategyInputs {
  const p = facts.precopy;
  const single = median(facts.history.filter((h) => h.multifdChannels <= 1).map((h) => h.peakBytesPerSec));
  const best = facts.history.reduce((m, h) => Math.max(m, h.peakBytesPerSec), 0);
  const readLink = p.bandwidthSource !== 'planning-default';
  const linkBytesPerSec = readLink || best === 0 ? p.bandwidthBytesPerSec : best;
  const linkSource = readLink
    ? `${p.bandwidthSource}${single !== null ? `; one stream measured over ${facts.history.length} earlier migration(s)` : ''}`
    : best > 0
      ? `best of ${facts.history.length} earlier migration(s) from the host`
      : 'planning default (nothing measured)';
  return {
    ramBytes: p.ramBytes,
    residentBytes: p.residentBytes,
    dirtyRateBytesPerSec: p.dirtyRateBytesPerSec,
    workingSetBytes: p.workingSetBytes,
    linkBytesPerSec,
    linkSource,
    singleStreamBytesPerSec: single,
    cpuHeadroomCores: facts.cpu ? Math.round(facts.cpu.cpus * facts.cpu.idleShare * 10) / 10 : null,
    compressionRatio: null,
    maxDowntimeMs: p.maxDowntimeMs,
    setupSec: p.setupSec,
    ability: hypervisorAbility(facts.versions),
  };
}

export function versionsText(versions: HypervisorVersions | null): { libvirtVersion: string | null; qemuVersion: string | null } {
  return versions
    ? { libvirtVersion: versionText(versions.libvirt), qemuVersion: versionText(versions.qemu) }
    : { libvirtVersion: null, qemuVersion: null };
}
