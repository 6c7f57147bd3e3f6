import { Injectable } from '@nestjs/common';
import { filter, Subject, type Observable } from 'rxjs';

export type DrainEvent =
  | { type: 'move'; data: { instanceId: string; instanceName: string; outcome: string; migrationId: string | null; reason: string | null } }
  | { type: 'state'; data: { state: string; failureReason: string | null } };

/** In-process progress of drains, for the SSE stream. */
@Injectable()
export class DrainEvents {
  private readonly subject = new Subject<DrainEvent & { drainId: string }>();

  emit(drainId: string, event: DrainEvent): void {
    this.subject.next({ drainId, ...event });
  }

  of(drainId: string): Observable<DrainEvent & { drainId: string }> {
    return this.subject.pipe(filter((e) => e.drainId === drainId));
  }
}
