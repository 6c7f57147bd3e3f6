import { Injectable } from '@nestjs/common';

/** Operators' abort requests for running migrations; the monitor loop reads them at its next poll. */
@Injectable()
export class AbortRequests {
  private readonly requested = new Set<string>();

  request(migrationId: string): void {
    this.requested.add(migrationId);
  }

  has(migrationId: string): boolean {
    return this.requested.has(migrationId);
  }

  forget(migrationId: string): void {
    this.requested.delete(migrationId);
  }
}
