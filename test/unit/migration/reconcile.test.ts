import { describe, expect, it } from 'vitest';
import { reconcile, type Whereabouts } from '../../../src/migration/reconcile';

const absent: Whereabouts = { present: false };
const running: Whereabouts = { present: true, state: 'running' };
const paused: Whereabouts = { present: true, state: 'paused' };
const shutoff: Whereabouts = { present: true, state: 'shutoff' };

describe('reconcile after a controller restart', () => {
  it.each<[string, Whereabouts, Whereabouts, boolean, string]>([
    ['job still running on the source', running, paused, true, 'wait'],
    ['a host does not answer', null, running, false, 'wait'],
    ['guest moved', absent, running, false, 'completed'],
    ['guest moved, source left shut off', shutoff, running, false, 'completed'],
    ['destination still paused at switchover', absent, paused, false, 'wait'],
    ['guest stayed on the source', running, absent, false, 'failed'],
    ['stale paused copy on the destination', running, paused, false, 'destroy-destination-copy'],
    ['paused on both', paused, paused, false, 'wait'],
    ['running nowhere, defined on the destination', absent, shutoff, false, 'start-on'],
    ['running nowhere, defined on the source', shutoff, absent, false, 'start-on'],
    ['defined nowhere', absent, absent, false, 'failed'],
  ])('%s', (_case, source, destination, jobActive, verdict) => {
    expect(reconcile(source, destination, jobActive).verdict).toBe(verdict);
  });

  it('starts a guest that runs nowhere on the host where it is defined', () => {
    expect(reconcile(absent, shutoff, false)).toMatchObject({ verdict: 'start-on', host: 'destination' });
    expect(reconcile(shutoff, absent, false)).toMatchObject({ verdict: 'start-on', host: 'source' });
  });
});
