const MiB = 1024 * 1024;

export interface SampleFigures {
  dataRemainingBytes?: number | null;
  dataTotalBytes?: number | null;
  memoryIteration?: number | null;
  dirtyRatePagesPerSec?: number | null;
}

/** Pure: one line of a migration's progress, bar included. */
export function progressLine(phase: string, s: SampleFigures, width = 24): string {
  // Until the copy starts libvirt reports zeros: unknown, not "0 MiB remaining".
  const total = s.dataTotalBytes ? s.dataTotalBytes : null;
  // The last sample is taken before the end: a completed migration has copied everything.
  const remaining = total === null ? null : phase === 'completed' ? 0 : (s.dataRemainingBytes ?? null);
  const done = total && remaining !== null ? Math.min(1, Math.max(0, 1 - remaining / total)) : 0;
  const filled = Math.round(done * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(done * 100).toFixed(0).padStart(3)}%`;
  const parts = [phase.padEnd(13), bar];
  if (remaining !== null) parts.push(`remaining ${(remaining / MiB).toFixed(1)} MiB`);
  else parts.push('waiting for the copy to start');
  if (total !== null && s.memoryIteration != null) parts.push(`iteration ${s.memoryIteration}`);
  if (total !== null && s.dirtyRatePagesPerSec != null) parts.push(`dirty ${s.dirtyRatePagesPerSec} pages/s`);
  return parts.join('  ');
}

/** 0 completed; 1 failed, aborted or rolled back. */
export function exitCodeOf(state: string): number {
  return state === 'completed' ? 0 : 1;
}
