import { Injectable, Logger } from '@nestjs/common';
import { CommitmentPhase } from './engine/commitment.phase';
import { PreMigrationPhase } from './engine/pre-migration.phase';
import { PrecopyPhase } from './engine/precopy.phase';
import { ReportStep } from './engine/report.step';
import { ReservationPhase } from './engine/reservation.phase';
import { RollbackPhase } from './engine/rollback.phase';
import type { CopyOutcome, RunContext } from './engine/run-context';
import { RunContextLoader } from './engine/run-context.loader';
import { describeWhereabouts, Settlement } from './engine/settlement';
import { errorMessage } from './hypervisor';
import type { TerminalState } from './migration-phase';

const ABORTED_BEFORE_COPY = 'aborted by request before the copy started';

/** Drives one migration through its five phases; each phase lives in engine/, this only orders them. */
@Injectable()
export class MigrationRunner {
  private readonly logger = new Logger(MigrationRunner.name);

  constructor(
    private readonly loader: RunContextLoader,
    private readonly preMigration: PreMigrationPhase,
    private readonly reservation: ReservationPhase,
    private readonly precopy: PrecopyPhase,
    private readonly commitment: CommitmentPhase,
    private readonly rollback: RollbackPhase,
    private readonly settlement: Settlement,
    private readonly report: ReportStep,
  ) {}

  async run(migrationId: string): Promise<TerminalState> {
    const ctx = await this.loader.load(migrationId);
    let terminal: TerminalState = 'failed';
    try {
      terminal = await this.runPhases(ctx);
    } catch (err) {
      this.logger.error(`migration ${migrationId} broke: ${err instanceof Error ? err.stack : String(err)}`);
      await this.rollback.broke(ctx, `internal error: ${errorMessage(err)}`);
    } finally {
      this.loader.done(migrationId);
    }
    // The report may find that the guest never answered again: the run then ends unreachable.
    return (await this.report.afterEnd(ctx)) ?? terminal;
  }

  private async runPhases(ctx: RunContext): Promise<TerminalState> {
    const checked = await this.preMigration.run(ctx);
    if (!checked.ok) return this.rollback.end(ctx, 'failed', checked.reason);
    if (ctx.abortRequested()) return this.rollback.end(ctx, 'aborted', ABORTED_BEFORE_COPY);

    const reserved = await this.reservation.reserve(ctx);
    if (!reserved.ok) return this.rollback.end(ctx, 'failed', reserved.reason);
    if (ctx.abortRequested()) return this.rollback.end(ctx, 'aborted', ABORTED_BEFORE_COPY);
    const prepared = await this.reservation.prepareCopy(ctx);
    if (!prepared.ok) return this.rollback.end(ctx, 'failed', prepared.reason);

    const outcome = await this.precopy.copy(ctx, checked.sharedStorageProven);
    return outcome.error === null ? this.commitment.commit(ctx, outcome) : this.settleFailure(ctx, outcome);
  }

  /** The migrate call failed: settlement finds where the guest is, and the run ends in the state that matches. */
  private async settleFailure(ctx: RunContext, outcome: CopyOutcome): Promise<TerminalState> {
    const { instance, source } = ctx;
    const reason = errorMessage(outcome.error);
    const settled = await this.settlement.settle(ctx.migration, { jobEnded: true });
    switch (settled.outcome) {
      case 'completed':
        // The copy finished but a late step (confirm) reported an error: the guest lives on the destination.
        return this.commitment.commit(ctx, outcome);
      case 'stayed-on-source': {
        if (outcome.abortReason !== null)
          return this.rollback.end(ctx, 'aborted', `${outcome.abortReason}; guest keeps running on ${source.name}`);
        const terminal: TerminalState = outcome.switchoverSeen ? 'rolled-back' : 'failed';
        return this.rollback.end(ctx, terminal, `${reason}; guest keeps running on ${source.name}`);
      }
      case 'stopped':
        return this.rollback.end(ctx, 'failed', reason);
      case 'postcopy-failed':
        return this.rollback.splitByPostCopy(ctx, `${reason}; ${settled.reason}${recoveryNote(outcome)}`);
      default: {
        const { observed } = settled;
        const where = `source ${describeWhereabouts(observed.source)}, destination ${describeWhereabouts(observed.destination)}`;
        const detail = `${reason}; ${instance.domainName} is not running on ${source.name} either (${where}); ${settled.reason}`;
        return this.rollback.end(ctx, 'failed', detail, settled.outcome === 'started' ? settled.host.id : undefined);
      }
    }
  }
}

/** How post-copy recovery went, for the failure detail. */
function recoveryNote(outcome: CopyOutcome): string {
  const r = outcome.postCopy?.recovery;
  if (!r) return '';
  return `; post-copy recovery: ${r.attempts} resume attempt(s) failed${r.lastError ? ` (last: ${r.lastError})` : ''}`;
}
