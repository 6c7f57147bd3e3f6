import { Injectable, type MessageEvent } from '@nestjs/common';
import { from, map, merge, takeWhile, type Observable } from 'rxjs';
import { DrainEvents } from './drain-events';
import { DrainsService } from './drains.service';

/** A drain's server-sent events: the drain first, then move and state changes; ends once the drain has. */
@Injectable()
export class DrainStream {
  constructor(
    private readonly drains: DrainsService,
    private readonly events: DrainEvents,
  ) {}

  of(id: string): Observable<MessageEvent> {
    const snapshot = from(this.drains.get(id)).pipe(map((d) => ({ type: 'drain', data: d })));
    const live = this.events.of(id).pipe(map((e) => ({ type: e.type, data: e.data })));
    return merge(snapshot, live).pipe(
      takeWhile((m) => !(m.type === 'state' || (m.type === 'drain' && (m.data as { state: string }).state !== 'running')), true),
    );
  }
}
