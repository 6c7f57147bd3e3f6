// Post-copy leaves no completed job stats on the destination: the figures come from the two hosts' events,
// the source's job-completed event and the last sample of the running job.
import type { DomainEvent, JobStats } from '../libvirt';
import type { PostCopyRecord } from '../prediction/precopy-record';

export const POST_COPY_NOTE =
  'post-copy: once switched, the guest runs on the destination while its pages are still pulled from the source, so the migration cannot be rolled back; a lost link then leaves the guest paused until post-copy recovery or a restart';

/** What the monitor loop and the event handlers saw; plain data, filled as the run goes. */
export class PostCopyTracker {
  private switchedAtMs: number | null = null;
  private sourcePausedAt: number | null = null;
  private destinationResumedAt: number | null = null;
  /** The destination's first resumed event (after pre-copy or at post-copy's start): the end of the guest's pause. */
  guestResumedAt: number | null = null;
  private lastSample: JobStats | null = null;
  /** The source's VIR_DOMAIN_EVENT_ID_JOB_COMPLETED statistics, when libvirt sent them. */
  sourceCompleted: JobStats | null = null;

  constructor(
    private readonly domainName: string,
    private readonly startedAt: number,
  ) {}

  get switched(): boolean {
    return this.switchedAtMs !== null || this.sourcePausedAt !== null;
  }

  onSourceEvent(event: DomainEvent, at = Date.now()): void {
    if (event.domain.name !== this.domainName) return;
    if (event.kind === 'jobCompleted') this.sourceCompleted = event.stats;
    if (event.kind === 'lifecycle' && event.event === 'suspended' && event.detail === 'postcopy' && this.sourcePausedAt === null) {
      this.sourcePausedAt = at;
      this.switchedAtMs ??= at - this.startedAt;
    }
  }

  onDestinationEvent(event: DomainEvent, at = Date.now()): void {
    if (event.domain.name !== this.domainName) return;
    if (event.kind === 'lifecycle' && event.event === 'resumed' && (event.detail === 'migrated' || event.detail === 'postcopy'))
      this.guestResumedAt ??= at;
    if (event.kind === 'lifecycle' && event.event === 'resumed' && event.detail === 'postcopy' && this.destinationResumedAt === null) {
      this.destinationResumedAt = at;
    }
  }

  onSwitchRequested(elapsedMs: number): void {
    this.switchedAtMs ??= elapsedMs;
  }

  onSample(stats: JobStats): void {
    this.lastSample = stats;
  }

  /** null when the run never switched to post-copy. */
  record(endedAt: number): PostCopyRecord | null {
    if (!this.switched) return null;
    const completed = this.sourceCompleted;
    const eventDowntime =
      this.sourcePausedAt !== null && this.destinationResumedAt !== null ? this.destinationResumedAt - this.sourcePausedAt : null;
    return {
      switchedAtMs: this.switchedAtMs,
      downtimeMs: completed?.downtime ?? eventDowntime,
      totalTimeMs: completed?.timeElapsed ?? endedAt - this.startedAt,
      dataProcessedBytes: completed?.dataProcessed ?? this.lastSample?.dataProcessed ?? null,
      iterations: completed?.memoryIteration ?? this.lastSample?.memoryIteration ?? null,
      postcopyRequests: completed?.memoryPostcopyRequests ?? this.lastSample?.memoryPostcopyRequests ?? null,
      note: `${POST_COPY_NOTE}; downtime from ${completed?.downtime !== undefined ? "the source's job-completed event" : 'the source pause to the destination resume events'}`,
    };
  }
}
