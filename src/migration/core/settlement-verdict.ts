import type { DomainStateName } from '../libvirt';

/** Where the guest was found, per host; `null` when the host did not answer. */
/** `postCopyFailed`: libvirt's state reason says this copy is half of a post-copy migration that failed. */
export type Whereabouts = { present: false } | { present: true; state: DomainStateName; postCopyFailed?: boolean } | null;

export interface SettlementObservation {
  source: Whereabouts;
  destination: Whereabouts;
  /** libvirt still has a migration job for the guest on the source. */
  sourceJobActive: boolean;
  /**
   * The caller saw the migrate call return, so nothing is moving any more: the verdict never waits,
   * and a host that does not answer counts as not running the guest.
   */
  jobEnded: boolean;
}

export type SettlementVerdict =
  | { verdict: 'completed' }
  | { verdict: 'stays-on-source'; destroyDestinationCopy: boolean; reason: string }
  | { verdict: 'wait'; reason: string }
  | { verdict: 'start-on'; host: 'source' | 'destination'; reason: string }
  | { verdict: 'lost'; reason: string }
  | { verdict: 'postcopy-failed'; reason: string };

const ACTIVE: ReadonlySet<DomainStateName> = new Set(['running', 'blocked', 'paused']);
const active = (w: Whereabouts) => w !== null && w.present && ACTIVE.has(w.state);
const running = (w: Whereabouts) => w !== null && w.present && (w.state === 'running' || w.state === 'blocked');
const defined = (w: Whereabouts) => w !== null && w.present;
const splitByPostCopy = (w: Whereabouts) => w !== null && w.present && w.postCopyFailed === true;

/**
 * Pure: the true end state of a migration from where libvirt says the guest is, as Nova settles a
 * job that is gone (still active on the source: failed; gone from it: completed). The guest must end
 * running on exactly one host: a stale paused copy is destroyed, a guest that runs nowhere is started.
 */
export function settlementVerdict(o: SettlementObservation): SettlementVerdict {
  const { source, destination, jobEnded } = o;
  if (!jobEnded && o.sourceJobActive) return { verdict: 'wait', reason: 'the migration job is still running on the source' };
  if (!jobEnded && (source === null || destination === null)) return { verdict: 'wait', reason: 'a host does not answer' };
  // The guest's memory is split between the hosts: destroying or starting either copy would lose it.
  if (splitByPostCopy(source) || splitByPostCopy(destination)) {
    return {
      verdict: 'postcopy-failed',
      reason:
        'post-copy failed after the switch: the guest runs from the destination with pages still on the source; neither copy may be destroyed or started, only resumed with post-copy recovery',
    };
  }
  if (active(destination) && !active(source)) {
    return running(destination) || jobEnded
      ? { verdict: 'completed' }
      : { verdict: 'wait', reason: 'the destination copy is paused (post-copy or switchover)' };
  }
  if (active(source) && active(destination)) {
    // A stopped or failed incoming migration leaves a paused copy on the destination; the source is the guest.
    if (running(source)) {
      return {
        verdict: 'stays-on-source',
        destroyDestinationCopy: true,
        reason: 'guest runs on the source; a leftover copy is on the destination',
      };
    }
    if (!jobEnded) return { verdict: 'wait', reason: 'guest is paused on both hosts' };
    return { verdict: 'stays-on-source', destroyDestinationCopy: false, reason: 'guest is paused on both hosts; the source keeps it' };
  }
  if (active(source)) return { verdict: 'stays-on-source', destroyDestinationCopy: false, reason: 'the guest still runs on the source' };
  if (source === null || destination === null) return { verdict: 'lost', reason: 'the guest runs on no host that answers' };
  if (defined(destination))
    return { verdict: 'start-on', host: 'destination', reason: 'guest ran on no host; it is defined on the destination' };
  if (defined(source)) return { verdict: 'start-on', host: 'source', reason: 'guest ran on no host; it is defined on the source' };
  return { verdict: 'lost', reason: 'the guest is defined on neither host' };
}
