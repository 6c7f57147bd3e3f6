// When libvirt reports no job any more, the source domain's state tells how the migration ended (as Nova does).

export type SourceDomainState = 'active' | 'inactive' | 'missing' | 'error';
export type MigrationOutcome = 'completed' | 'failed';

/** Still running on the source means it failed; gone or shut off means it moved. A lookup error is a failure. */
export function outcomeWithoutJob(source: SourceDomainState): MigrationOutcome {
  switch (source) {
    case 'active':
      return 'failed';
    case 'inactive':
    case 'missing':
      return 'completed';
    case 'error':
      return 'failed';
  }
}

/** Nova's coarse instance progress: 100 − remaining %, whole numbers, 0 before anything is known. */
export function migrationProgressPct(totalBytes: number, remainingBytes: number): number {
  if (!(totalBytes > 0)) return 0;
  const remainingPct = Math.round((Math.min(Math.max(remainingBytes, 0), totalBytes) * 100) / totalBytes);
  return 100 - remainingPct;
}
