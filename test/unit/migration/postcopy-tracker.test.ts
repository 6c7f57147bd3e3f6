import { describe, expect, it } from 'vitest';
import { PostCopyTracker } from '../../../src/migration/engine/postcopy-tracker';
import type { DomainEvent, JobStats } from '../../../src/migration/libvirt';

const domain = { name: 'guest-1', uuid: 'u' };
const lifecycle = (event: 'suspended' | 'resumed', detail: string): DomainEvent => ({
  kind: 'lifecycle',
  domain,
  event,
  detail,
  detailCode: 0,
});
const sample: JobStats = { type: 'unbounded', completed: false, dataProcessed: 300, memoryIteration: 2, memoryPostcopyRequests: 7 };

describe('PostCopyTracker', () => {
  it('no switch: no record', () => {
    const t = new PostCopyTracker('guest-1', 1000);
    t.onSourceEvent(lifecycle('suspended', 'migrated'), 5000);
    expect(t.record(6000)).toBeNull();
  });

  it('downtime from the source pause to the destination resume, total from the call; says it cannot roll back', () => {
    const t = new PostCopyTracker('guest-1', 1000);
    t.onSwitchRequested(30_000);
    t.onSample(sample);
    t.onSourceEvent(lifecycle('suspended', 'postcopy'), 31_100);
    t.onDestinationEvent(lifecycle('resumed', 'postcopy'), 31_180);
    t.onDestinationEvent({ ...lifecycle('resumed', 'postcopy'), domain: { name: 'other', uuid: 'x' } }, 40_000);
    expect(t.record(61_000)).toMatchObject({
      switchedAtMs: 30_000,
      downtimeMs: 80,
      totalTimeMs: 60_000,
      dataProcessedBytes: 300,
      iterations: 2,
      postcopyRequests: 7,
      note: expect.stringMatching(/cannot be rolled back/),
    });
  });

  it("the source's job-completed statistics win over the events", () => {
    const t = new PostCopyTracker('guest-1', 0);
    t.onSourceEvent(lifecycle('suspended', 'postcopy'), 10_000);
    t.onSourceEvent({
      kind: 'jobCompleted',
      domain,
      stats: { type: 'completed', completed: true, downtime: 42, timeElapsed: 50_000, dataProcessed: 900 },
    });
    expect(t.record(55_000)).toMatchObject({ switchedAtMs: 10_000, downtimeMs: 42, totalTimeMs: 50_000, dataProcessedBytes: 900 });
  });
});
