import { Observable } from 'rxjs';
import type { MigrationEvent } from './migration-events';
import { isTerminal } from './migration-phase';

export interface StreamMessage {
  type: MigrationEvent['type'];
  data: MigrationEvent['data'];
}

/**
 * History first, then live events, without gaps or repeats: live events are buffered while the
 * history loads and replayed when newer. Completes after the terminal phase.
 */
export function historyThenLive(history: () => Promise<MigrationEvent[]>, live: Observable<MigrationEvent>): Observable<StreamMessage> {
  return new Observable<StreamMessage>((subscriber) => {
    const buffered: MigrationEvent[] = [];
    const seen = new Set<string>();
    let replaying = true;
    const emit = (event: MigrationEvent) => {
      const key = keyOf(event);
      if (seen.has(key)) return;
      seen.add(key);
      subscriber.next({ type: event.type, data: event.data });
      if (event.type === 'phase' && isTerminal(event.data.phase)) subscriber.complete();
    };
    const subscription = live.subscribe((event) => (replaying ? buffered.push(event) : emit(event)));
    history().then(
      (events) => {
        events.forEach(emit);
        replaying = false;
        buffered.forEach(emit);
      },
      (err: unknown) => subscriber.error(err),
    );
    return () => subscription.unsubscribe();
  });
}

function keyOf(event: MigrationEvent): string {
  switch (event.type) {
    case 'phase':
      return `phase:${event.data.phase}`;
    case 'sample':
      return `sample:${event.data.elapsedMs}`;
    case 'convergence':
      return `convergence:${event.data.atMs}:${event.data.action}`;
  }
}
