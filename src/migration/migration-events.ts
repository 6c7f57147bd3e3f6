import { Injectable } from '@nestjs/common';
import { Subject, type Observable, filter } from 'rxjs';
import type { MigrationState } from './migration-phase';

export type MigrationEvent =
  | { migrationId: string; type: 'phase'; data: { phase: MigrationState; enteredAt: string; detail: string | null } }
  | { migrationId: string; type: 'sample'; data: Record<string, number | null> }
  | { migrationId: string; type: 'convergence'; data: { atMs: number; action: string; outcome: string; detail: Record<string, unknown> } };

/** In-process fan-out of what happens to migrations, for server-sent events. */
@Injectable()
export class MigrationEventBus {
  private readonly subject = new Subject<MigrationEvent>();

  publish(event: MigrationEvent): void {
    this.subject.next(event);
  }

  /** Every migration's events (metrics listen here instead of in the engine). */
  all(): Observable<MigrationEvent> {
    return this.subject.asObservable();
  }

  of(migrationId: string): Observable<MigrationEvent> {
    return this.subject.pipe(filter((e) => e.migrationId === migrationId));
  }
}
