import { Injectable, Logger } from '@nestjs/common';
import { PathsService } from '../../network/paths/paths.service';
import type { ClassChange } from '../../network/core/peer-paths';
import { errorMessage } from '../hypervisor';
import { MigrationRecorder } from '../migration-recorder.service';
import { PrecheckRefusal } from '../precheck-refusal';
import { PrechecksService } from '../prechecks.service';
import type { RunContext } from './run-context';

export type PreMigrationOutcome = { ok: true; sharedStorageProven: boolean } | { ok: false; reason: string };

/** Phase 1: the pre-checks again, since the queue may have waited (a pass the request got moments ago stands). */
@Injectable()
export class PreMigrationPhase {
  private readonly logger = new Logger(PreMigrationPhase.name);

  constructor(
    private readonly recorder: MigrationRecorder,
    private readonly prechecks: PrechecksService,
    private readonly paths: PathsService,
  ) {}

  async run(ctx: RunContext): Promise<PreMigrationOutcome> {
    const { migration } = ctx;
    await this.recorder.enterPhase(migration, 'pre-migration');
    try {
      const recent = this.prechecks.takeRecentPass(ctx);
      const result = recent ?? (await this.prechecks.run(ctx));
      await this.recorder.save(migration, { pathChanges: await this.pathChanges(ctx) });
      const checks = result.checks.map((c) => `${c.name} ${c.durationMs} ms`).join(', ');
      this.logger.log(`migration ${migration.id} pre-checks${recent ? ' (the request pass, reused)' : ''}: ${checks}`);
      return { ok: true, sharedStorageProven: result.sharedStorageProven };
    } catch (err) {
      return { ok: false, reason: err instanceof PrecheckRefusal ? err.message : `pre-check error: ${errorMessage(err)}` };
    }
  }

  // For the report: which peers' path class the move changes. The model may lack the instance's ports (no
  // network), which is no reason to stop a migration.
  private async pathChanges(ctx: RunContext): Promise<ClassChange[] | null> {
    try {
      return (await this.paths.forInstance(ctx.instance.id, ctx.destination.id)).changed;
    } catch (err) {
      this.logger.warn(`migration ${ctx.migration.id}: path classes not computed: ${errorMessage(err)}`);
      return null;
    }
  }
}
