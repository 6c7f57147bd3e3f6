import { ConflictException, Injectable } from '@nestjs/common';
import { AbortRequests } from './engine/abort-requests';
import { isTerminal } from './migration-phase';
import { MigrationQueueService } from './migration-queue.service';
import { MigrationReadsService, type MigrationView } from './migration-reads.service';
import { MigrationRecorder } from './migration-recorder.service';

/** Aborting a migration: withdrawn while queued, else persisted for the owner's monitor loop. */
@Injectable()
export class MigrationAbortService {
  constructor(
    private readonly reads: MigrationReadsService,
    private readonly recorder: MigrationRecorder,
    private readonly queue: MigrationQueueService,
    private readonly aborts: AbortRequests,
  ) {}

  async abort(id: string): Promise<MigrationView> {
    const migration = await this.reads.record(id);
    if (isTerminal(migration.state))
      throw new ConflictException({
        message: `migration ${id} has already ended (${migration.state})`,
        details: { state: migration.state },
      });
    if (migration.state === 'switchover' || migration.state === 'commitment') {
      throw new ConflictException({
        message: `migration ${id} is past the point of abort (${migration.state})`,
        details: { state: migration.state },
      });
    }
    // A queued one is taken out of line by this replica and ended here; a running one is ended by its owner,
    // whichever replica that is: it reads the persisted request within one monitor interval.
    const withdrawn = migration.state === 'queued' && (await this.queue.withdraw(id));
    await this.recorder.save(migration, { abortRequested: true });
    if (withdrawn) {
      await this.recorder.enterPhase(migration, 'aborted', 'aborted by request while queued');
    } else if (this.queue.runsHere(id)) {
      this.aborts.request(id);
    }
    return this.reads.view(migration);
  }
}
