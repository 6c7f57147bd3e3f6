// Whether an agent takes a desired state over the one it holds. Revisions order the states of one controller
// database (one generation); a state from another generation (an empty or restored database, another cluster)
// is refused, and says what the agent holds, until a take-over names that generation. Pure.
import type { HeldNetworkState, HostNetworkState } from '../../protocol';

export type Admission = { admitted: true; takeOver: boolean } | { admitted: false; message: string; held: HeldNetworkState };

type Versioned = Pick<HostNetworkState, 'revision' | 'generation' | 'takeOver'>;

export function admitState(held: Versioned | null, incoming: Versioned): Admission {
  if (held === null) return { admitted: true, takeOver: false };
  const heldGeneration = held.generation ?? null;
  const generation = incoming.generation ?? null;
  if (incoming.takeOver !== undefined) {
    if ((incoming.takeOver.generation ?? null) === heldGeneration) return { admitted: true, takeOver: true };
    return {
      admitted: false,
      message: `take-over of generation ${incoming.takeOver.generation ?? 'none'} refused: this agent holds generation ${heldGeneration ?? 'none'} revision ${held.revision}`,
      held: { reason: 'other-generation', heldGeneration, heldRevision: held.revision },
    };
  }
  // A state saved before generations existed belongs to whichever controller pushes next.
  if (heldGeneration !== null && generation !== null && heldGeneration !== generation) {
    return {
      admitted: false,
      message: `this agent holds network state generation ${heldGeneration} revision ${held.revision} from another controller database; take it over deliberately (POST /network/takeover)`,
      held: { reason: 'other-generation', heldGeneration, heldRevision: held.revision },
    };
  }
  if (incoming.revision < held.revision) {
    return {
      admitted: false,
      message: `revision ${incoming.revision} is older than the applied revision ${held.revision}`,
      held: { reason: 'older-revision', heldGeneration, heldRevision: held.revision },
    };
  }
  return { admitted: true, takeOver: false };
}
