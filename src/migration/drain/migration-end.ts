import { isTerminal, type TerminalState } from '../migration-phase';
import type { MigrationQueueService } from '../migration-queue.service';
import type { MigrationsService } from '../migrations.service';

export interface MigrationEnd {
  state: TerminalState;
  failureReason: string | null;
}

const POLL_MS = 100;

/**
 * Waits for a requested migration to end. whenDone only covers runs the queue has admitted, so a
 * migration still waiting for a slot is polled until it has run.
 */
export async function migrationEnd(migrations: MigrationsService, queue: MigrationQueueService, id: string): Promise<MigrationEnd> {
  for (;;) {
    await queue.whenDone(id);
    const m = await migrations.get(id);
    if (isTerminal(m.state)) return { state: m.state, failureReason: m.failureReason };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
