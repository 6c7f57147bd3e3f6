import { Injectable, Logger } from '@nestjs/common';
import { MigrationCaptureService } from '../../capture/migration-capture.service';
import { errorMessage } from '../hypervisor';
import { MigrationRecorder } from '../migration-recorder.service';
import { PrecopyPredictionService } from '../prediction/precopy-prediction.service';
import type { RunContext } from './run-context';

/** After the end: capture → analyze → report, network figures stored beside the hypervisor's; then the prediction's error. */
@Injectable()
export class ReportStep {
  private readonly logger = new Logger(ReportStep.name);

  constructor(
    private readonly capture: MigrationCaptureService,
    private readonly recorder: MigrationRecorder,
    private readonly prediction: PrecopyPredictionService,
  ) {}

  async afterEnd(ctx: RunContext): Promise<void> {
    if (ctx.capture) await this.report(ctx, ctx.capture);
    await this.prediction.afterEnd(ctx.migration);
  }

  private async report(ctx: RunContext, session: NonNullable<RunContext['capture']>): Promise<void> {
    try {
      const report = await this.capture.finish(session, ctx.destination, ctx.switchoverAt ?? null);
      await this.recorder.save(ctx.migration, { ...report.figures, report, reportState: 'ready', reportError: null });
    } catch (err) {
      this.logger.warn(`migration ${ctx.migration.id}: report failed: ${errorMessage(err)}`);
      await this.recorder.save(ctx.migration, { reportState: 'failed', reportError: errorMessage(err) });
    }
  }
}
