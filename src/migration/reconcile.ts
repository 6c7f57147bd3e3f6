import type { DomainStateName } from './libvirt';

/** Where the guest was found, per host; `null` when the host did not answer. */
export type Whereabouts = { present: false } | { present: true; state: DomainStateName } | null;

export type Reconciliation =
  | { verdict: 'completed' }
  | { verdict: 'failed'; reason: string }
  | { verdict: 'wait'; reason: string }
  | { verdict: 'destroy-destination-copy'; reason: string }
  | { verdict: 'start-on'; host: 'source' | 'destination'; reason: string };

const ACTIVE: ReadonlySet<DomainStateName> = new Set(['running', 'blocked', 'paused']);
const active = (w: Whereabouts) => w !== null && w.present && ACTIVE.has(w.state);
const running = (w: Whereabouts) => w !== null && w.present && (w.state === 'running' || w.state === 'blocked');
const defined = (w: Whereabouts) => w !== null && w.present;

/**
 * Pure: what a migration interrupted by a controller restart really became, from where libvirt
 * says the guest is. It must end running on exactly one host.
 */
export function reconcile(source: Whereabouts, destination: Whereabouts, sourceJobActive: boolean): Reconciliation {
  if (sourceJobActive) return { verdict: 'wait', reason: 'the migration job is still running on the source' };
  if (source === null || destination === null) return { verdict: 'wait', reason: 'a host does not answer' };
  if (active(destination) && !active(source)) {
    return running(destination)
      ? { verdict: 'completed' }
      : { verdict: 'wait', reason: 'the destination copy is paused (post-copy or switchover)' };
  }
  if (active(source) && active(destination)) {
    // A stopped or failed incoming migration leaves a paused copy on the destination; the source is the guest.
    if (running(source))
      return { verdict: 'destroy-destination-copy', reason: 'guest runs on the source; a leftover copy is on the destination' };
    return { verdict: 'wait', reason: 'guest is paused on both hosts' };
  }
  if (active(source))
    return { verdict: 'failed', reason: 'the controller restarted during the migration and the guest still runs on the source' };
  if (defined(destination))
    return { verdict: 'start-on', host: 'destination', reason: 'guest ran on no host; it is defined on the destination' };
  if (defined(source)) return { verdict: 'start-on', host: 'source', reason: 'guest ran on no host; it is defined on the source' };
  return { verdict: 'failed', reason: 'the guest is defined on neither host' };
}
