import { Injectable, Logger } from '@nestjs/common';
import { pauseSourceOf, pauseWindow, switchoverStepsEndTs } from '../../analysis/core/pause-window';
import { MigrationCaptureService } from '../../capture/migration-capture.service';
import { switchoverOutcome } from '../core/switchover-outcome';
import { errorMessage } from '../hypervisor';
import type { TerminalState } from '../migration-phase';
import { MigrationRecorder } from '../migration-recorder.service';
import { PrecopyPredictionService } from '../prediction/precopy-prediction.service';
import { LiveMigrationsRepository } from '../repositories/live-migrations.repository';
import type { RunContext } from './run-context';

/**
 * After the end: capture → analyze → report, network figures stored beside the hypervisor's; then the prediction's
 * error. A completed migration whose guest never answered again becomes `unreachable` (the returned end state).
 */
@Injectable()
export class ReportStep {
  private readonly logger = new Logger(ReportStep.name);

  constructor(
    private readonly capture: MigrationCaptureService,
    private readonly recorder: MigrationRecorder,
    private readonly prediction: PrecopyPredictionService,
    private readonly migrations: LiveMigrationsRepository,
  ) {}

  async afterEnd(ctx: RunContext): Promise<TerminalState | null> {
    const unreachable = ctx.capture ? await this.report(ctx, ctx.capture) : null;
    await this.prediction.afterEnd(ctx.migration);
    if (unreachable === null || ctx.migration.state !== 'completed') return null;
    // The end keeps its time: the guest was lost at the switchover, not when the analysis noticed.
    await this.recorder.enterPhase(ctx.migration, 'unreachable', unreachable, ctx.migration.finishedAt ?? undefined);
    return 'unreachable';
  }

  /** Stores the report; returns why the guest is unreachable, or null. */
  private async report(ctx: RunContext, session: NonNullable<RunContext['capture']>): Promise<string | null> {
    try {
      const report = await this.capture.finish(session, ctx.destination, ctx.switchoverAt ?? null);
      const phases = ctx.switchoverAt ? await this.migrations.phasesOf(ctx.migration.id) : [];
      const pause = pauseWindow({
        switchoverAt: ctx.switchoverAt ?? null,
        source: pauseSourceOf(phases.find((p) => p.phase === 'switchover')?.detail ?? null),
        hvDowntimeMs: ctx.migration.hvDowntimeMs,
        resumedAt: ctx.guestResumedAt ?? null,
      });
      const outcome = switchoverOutcome(report, pause, switchoverStepsEndTs(ctx.networkSteps));
      report.figures = { ...report.figures, ...outcome.figures };
      report.notes.push(...outcome.notes);
      await this.recorder.save(ctx.migration, {
        ...report.figures,
        report,
        reportState: 'ready',
        reportError: null,
        guestResumedAt: ctx.guestResumedAt ?? null,
      });
      return outcome.unreachableReason;
    } catch (err) {
      this.logger.warn(`migration ${ctx.migration.id}: report failed: ${errorMessage(err)}`);
      await this.recorder.save(ctx.migration, { reportState: 'failed', reportError: errorMessage(err) });
      return null;
    }
  }
}
