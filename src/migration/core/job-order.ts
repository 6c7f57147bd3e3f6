// Priority orders for list-scheduling migrations; the drain planner simulates each and keeps the best.
import type { MigrationJob } from './concurrency';

export type JobOrdering = 'longest-first' | 'most-work-remaining';

const byId = (a: MigrationJob, b: MigrationJob): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Graham's LPT rule: long jobs first so short ones fill the tail. */
export function longestFirst(jobs: readonly MigrationJob[]): MigrationJob[] {
  return [...jobs].sort((a, b) => b.durationSec - a.durationSec || byId(a, b));
}

/**
 * Sources with the most work left go first (each job keyed by its source's work from that job on,
 * longest first within a source), so a heavily loaded source with only two outbound slots
 * does not end up alone at the tail.
 */
export function mostWorkRemaining(jobs: readonly MigrationJob[]): MigrationJob[] {
  const bySource = new Map<string, MigrationJob[]>();
  for (const job of jobs) bySource.set(job.sourceHostId, [...(bySource.get(job.sourceHostId) ?? []), job]);
  const keyed: { job: MigrationJob; remainingSec: number }[] = [];
  for (const list of bySource.values()) {
    const sorted = longestFirst(list);
    let remainingSec = sorted.reduce((sum, j) => sum + j.durationSec, 0);
    for (const job of sorted) {
      keyed.push({ job, remainingSec });
      remainingSec -= job.durationSec;
    }
  }
  return keyed
    .sort((a, b) => b.remainingSec - a.remainingSec || b.job.durationSec - a.job.durationSec || byId(a.job, b.job))
    .map((k) => k.job);
}

export const JOB_ORDERINGS: Record<JobOrdering, (jobs: readonly MigrationJob[]) => MigrationJob[]> = {
  'longest-first': longestFirst,
  'most-work-remaining': mostWorkRemaining,
};
