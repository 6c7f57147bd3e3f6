import { Injectable } from '@nestjs/common';
import { Hypervisor, isActive } from '../hypervisor';
import type { TerminalState } from '../migration-phase';
import { MigrationRecorder } from '../migration-recorder.service';
import { InstancesRepository } from '../../inventory/repositories/instances.repository';
import { ReservationsService } from '../reservations.service';
import { failedSteps, NetworkSteps } from './network-steps';
import { RollbackPhase } from './rollback.phase';
import type { CopyOutcome, RunContext } from './run-context';
import { SwitchoverPhase } from './switchover.phase';

/** Phase 5: the guest runs on the destination; read the hypervisor's figures there and move the instance. */
@Injectable()
export class CommitmentPhase {
  constructor(
    private readonly hypervisor: Hypervisor,
    private readonly recorder: MigrationRecorder,
    private readonly instances: InstancesRepository,
    private readonly reservations: ReservationsService,
    private readonly network: NetworkSteps,
    private readonly switchover: SwitchoverPhase,
    private readonly rollback: RollbackPhase,
  ) {}

  async commit(
    ctx: RunContext,
    outcome: Pick<CopyOutcome, 'switchoverSeen' | 'lastDirtyRatePagesPerSec' | 'postCopy'>,
  ): Promise<TerminalState> {
    const { migration, instance, destination, source } = ctx;
    if (!outcome.switchoverSeen) await this.switchover.unseen(ctx);
    const networkFollowed = await this.network.switchoverDone(ctx);
    await this.recorder.enterPhase(migration, 'commitment');
    const where = await this.hypervisor.withConnection(destination.libvirtUri, async (c) => {
      const presence = await this.hypervisor.presence(c, instance.domainName);
      const completed = presence.present
        ? await this.hypervisor.libvirt.jobStats(presence.domain, { completed: true }).catch(() => null)
        : null;
      return { presence, completed };
    });
    if (!isActive(where.presence)) {
      return this.rollback.end(ctx, 'failed', `libvirt reported success but ${instance.domainName} is not running on ${destination.name}`);
    }
    const stats = where.completed;
    // Post-copy leaves no completed job stats on the destination: the run's own figures stand in.
    const post = outcome.postCopy ?? null;
    await this.recorder.save(migration, {
      hvTotalTimeMs: stats?.timeElapsed ?? post?.totalTimeMs ?? null,
      hvDowntimeMs: stats?.downtime ?? post?.downtimeMs ?? null,
      hvSetupTimeMs: stats?.setupTime ?? null,
      hvDataProcessedBytes: stats?.dataProcessed ?? post?.dataProcessedBytes ?? null,
      hvIterations: stats?.memoryIteration ?? post?.iterations ?? null,
      hvDirtyRatePagesPerSec: outcome.lastDirtyRatePagesPerSec,
    });
    await this.instances.place(instance.id, destination.id, 'active');
    await this.reservations.release(migration.id);
    const committed = await this.network.commit(ctx);
    // The guest runs on the destination whatever the network did; a failed step is said, and the periodic resync repairs it.
    const networkNote = networkFollowed && committed ? '' : `; network steps failed: ${failedSteps(ctx.networkSteps)}`;
    await this.recorder.enterPhase(
      migration,
      'completed',
      `${instance.domainName} runs on ${destination.name}; left ${source.name}${networkNote}`,
    );
    return 'completed';
  }
}
