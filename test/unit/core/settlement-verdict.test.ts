import { describe, expect, it } from 'vitest';
import { settlementVerdict, type SettlementVerdict, type Whereabouts } from '../../../src/migration/core';

const absent: Whereabouts = { present: false };
const running: Whereabouts = { present: true, state: 'running' };
const paused: Whereabouts = { present: true, state: 'paused' };
const shutoff: Whereabouts = { present: true, state: 'shutoff' };
const pausedSplit: Whereabouts = { present: true, state: 'paused', postCopyFailed: true };
const runningSplit: Whereabouts = { present: true, state: 'running', postCopyFailed: true };

const afterRestart = (source: Whereabouts, destination: Whereabouts, sourceJobActive: boolean) =>
  settlementVerdict({ source, destination, sourceJobActive, jobEnded: false });
const afterMigrateCall = (source: Whereabouts, destination: Whereabouts) =>
  settlementVerdict({ source, destination, sourceJobActive: false, jobEnded: true });

describe('settlement of a post-copy migration that failed after the switch', () => {
  it.each<[string, Whereabouts, Whereabouts]>([
    ['paused on both, split by post-copy', pausedSplit, pausedSplit],
    ['source paused for recovery, destination vCPUs still running', pausedSplit, runningSplit],
    ['destination does not answer', pausedSplit, null],
    ['source gone from view, destination split', null, pausedSplit],
  ])('%s: neither copy is destroyed or started', (_case, source, destination) => {
    expect(afterMigrateCall(source, destination).verdict).toBe('postcopy-failed');
    expect(afterRestart(source, destination, false).verdict).toBe(source === null || destination === null ? 'wait' : 'postcopy-failed');
  });

  it('a resume still running on the source is waited for', () => {
    expect(afterRestart(pausedSplit, pausedSplit, true).verdict).toBe('wait');
  });

  it('a plain paused copy (no post-copy reason) is still the source keeping the guest', () => {
    expect(afterMigrateCall(paused, paused).verdict).toBe('stays-on-source');
  });
});

describe('settlement after a controller restart (the job may still run)', () => {
  it.each<[string, Whereabouts, Whereabouts, boolean, SettlementVerdict['verdict']]>([
    ['job still running on the source', running, paused, true, 'wait'],
    ['a host does not answer', null, running, false, 'wait'],
    ['guest moved', absent, running, false, 'completed'],
    ['guest moved, source left shut off', shutoff, running, false, 'completed'],
    ['destination still paused at switchover', absent, paused, false, 'wait'],
    ['guest stayed on the source', running, absent, false, 'stays-on-source'],
    ['stale paused copy on the destination', running, paused, false, 'stays-on-source'],
    ['paused on both', paused, paused, false, 'wait'],
    ['running nowhere, defined on the destination', absent, shutoff, false, 'start-on'],
    ['running nowhere, defined on the source', shutoff, absent, false, 'start-on'],
    ['defined nowhere', absent, absent, false, 'lost'],
  ])('%s', (_case, source, destination, jobActive, verdict) => {
    expect(afterRestart(source, destination, jobActive).verdict).toBe(verdict);
  });

  it('destroys a stale paused copy only when the source runs the guest', () => {
    expect(afterRestart(running, paused, false)).toMatchObject({ destroyDestinationCopy: true });
    expect(afterRestart(running, absent, false)).toMatchObject({ destroyDestinationCopy: false });
  });

  it('starts a guest that runs nowhere on the host where it is defined', () => {
    expect(afterRestart(absent, shutoff, false)).toMatchObject({ verdict: 'start-on', host: 'destination' });
    expect(afterRestart(shutoff, absent, false)).toMatchObject({ verdict: 'start-on', host: 'source' });
  });
});

describe('settlement after the migrate call returned an error (nothing moves any more)', () => {
  it.each<[string, Whereabouts, Whereabouts, SettlementVerdict['verdict']]>([
    ['a late step failed but the guest moved', absent, running, 'completed'],
    ['destination paused, source gone', absent, paused, 'completed'],
    ['source unreachable, destination runs it', null, running, 'completed'],
    ['guest stayed on the source', running, absent, 'stays-on-source'],
    ['stale paused copy on the destination', running, paused, 'stays-on-source'],
    ['paused on both: the source keeps it', paused, paused, 'stays-on-source'],
    ['destination unreachable, source runs it', running, null, 'stays-on-source'],
    ['running nowhere, defined on the source', shutoff, absent, 'start-on'],
    ['running on no host that answers', null, absent, 'lost'],
    ['defined nowhere', absent, absent, 'lost'],
  ])('%s', (_case, source, destination, verdict) => {
    expect(afterMigrateCall(source, destination).verdict).toBe(verdict);
  });

  it('never waits, even while a job is reported', () => {
    expect(settlementVerdict({ source: running, destination: paused, sourceJobActive: true, jobEnded: true }).verdict).not.toBe('wait');
  });
});
