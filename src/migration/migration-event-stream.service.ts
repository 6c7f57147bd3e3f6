import { Injectable } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import { MigrationEventBus, type MigrationEvent } from './migration-events';
import { MigrationReadsService } from './migration-reads.service';
import { historyThenLive, type StreamMessage } from './migration-stream';

/** A migration's events for server-sent events: its stored history, then what happens live. */
@Injectable()
export class MigrationEventStreamService {
  constructor(
    private readonly reads: MigrationReadsService,
    private readonly bus: MigrationEventBus,
  ) {}

  /** Errors with 404 (on subscription) for an unknown migration; completes after the terminal phase. */
  eventsOf(id: string): Observable<StreamMessage> {
    return historyThenLive(() => this.history(id), this.bus.of(id)).pipe(map((m) => ({ type: m.type, data: m.data })));
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
