import { Inject, Injectable } from '@nestjs/common';
import { catchError, EMPTY, exhaustMap, from, interval, map, merge, mergeMap, type Observable } from 'rxjs';
import { LIVEMIG_CONFIG, type LivemigConfig } from '../config/livemig-config';
import { MigrationEventBus, type MigrationEvent } from './migration-events';
import { MigrationReadsService } from './migration-reads.service';
import { historyThenLive, type StreamMessage } from './migration-stream';

/**
 * A migration's events for server-sent events: its stored history, then what happens live. Live is this
 * process's bus merged with the persisted record read again every poll, so a replica that does not run the
 * migration serves its stream too (the stream drops what it has already sent).
 */
@Injectable()
export class MigrationEventStreamService {
  constructor(
    private readonly reads: MigrationReadsService,
    private readonly bus: MigrationEventBus,
    @Inject(LIVEMIG_CONFIG) private readonly config: LivemigConfig,
  ) {}

  /** Errors with 404 (on subscription) for an unknown migration; completes after the terminal phase. */
  eventsOf(id: string): Observable<StreamMessage> {
    const pollMs = Math.max(250, this.config.migration.monitorIntervalMs);
    const persisted = interval(pollMs).pipe(
      exhaustMap(() => from(this.history(id)).pipe(catchError(() => EMPTY))),
      mergeMap((events) => from(events)),
    );
    return historyThenLive(() => this.history(id), merge(this.bus.of(id), persisted)).pipe(map((m) => ({ type: m.type, data: m.data })));
  }

  private async history(id: string): Promise<MigrationEvent[]> {
    const [migration, samples] = await Promise.all([this.reads.get(id), this.reads.samplesOf(id)]);
    return [
      ...migration.phases.map((p): MigrationEvent => ({
        migrationId: id,
        type: 'phase',
        data: { phase: p.phase, enteredAt: p.enteredAt.toISOString(), detail: p.detail },
      })),
      ...samples.map((s): MigrationEvent => {
        const { id: _id, migrationId: _m, sampledAt: _at, ...figures } = s;
        return { migrationId: id, type: 'sample', data: figures };
      }),
    ];
  }
}
