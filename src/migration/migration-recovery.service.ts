import { Inject, Injectable, Logger, Optional, type BeforeApplicationShutdown } from '@nestjs/common';
import type { HostEntity } from '../inventory/hosts/host.entity';
import { Settlement } from './engine/settlement';
import { failedSteps } from './engine/network-steps';
import { errorMessage, Hypervisor } from './hypervisor';
import { MigrationRecorder } from './migration-recorder.service';
import { NETWORK_FOLLOWER, type NetworkFollower } from '../network/follow/network-follower';
import type { LiveMigrationEntity } from './records/live-migration.entity';
import { InstancesRepository } from '../inventory/repositories/instances.repository';
import { ReservationsService } from './reservations.service';

const RESTARTED = 'the controller restarted (or the replica running it died) during the migration';

/**
 * Settles migrations whose controller went away (adopted by MigrationAdoptionService), from libvirt's
 * truth: it waits while the source still has a job, then ends the record where the guest runs.
 */
@Injectable()
export class MigrationRecoveryService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(MigrationRecoveryService.name);
  private readonly recovering = new Map<string, Promise<void>>();
  /** Set at shutdown: settling stops at its next poll, before the database closes under it. */
  private closing = false;

  constructor(
    private readonly instances: InstancesRepository,
    private readonly settlement: Settlement,
    private readonly hypervisor: Hypervisor,
    private readonly recorder: MigrationRecorder,
    private readonly reservations: ReservationsService,
    @Optional() @Inject(NETWORK_FOLLOWER) private readonly network: NetworkFollower | null = null,
  ) {}

  /** Settles it in the background (a migration still copying may take minutes to end). */
  settleAdopted(migration: LiveMigrationEntity): void {
    if (this.closing || this.recovering.has(migration.id)) return;
    const done = this.recover(migration).finally(() => this.recovering.delete(migration.id));
    this.recovering.set(migration.id, done);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await this.settled();
  }

  /** Resolves when every migration adopted so far has been settled. */
  async settled(): Promise<void> {
    await Promise.all([...this.recovering.values()]);
  }

  private async recover(migration: LiveMigrationEntity): Promise<void> {
    try {
      const settled = await this.settlement.settle(migration, { jobEnded: false, stop: () => this.closing });
      switch (settled.outcome) {
        case 'stopped':
          return;
        case 'completed':
          await this.instances.place(migration.instanceId, settled.destination.id, 'active');
          await this.readCompletedStats(migration, settled.destination);
          return this.finish(
            migration,
            'completed',
            `recovered after a controller restart (or adopted from a replica that died): guest runs on ${settled.destination.name}`,
          );
        case 'stayed-on-source':
          return this.finish(migration, 'failed', `${RESTARTED} and ${settled.reason}`);
        case 'started':
          await this.instances.place(migration.instanceId, settled.host.id, 'active');
          return this.finish(migration, 'failed', `${RESTARTED}: ${settled.reason}`);
        case 'undecided':
          return this.finish(migration, 'failed', `recovery gave up: ${settled.reason}`);
        case 'lost':
          return this.finish(migration, 'failed', `${RESTARTED}: ${settled.reason}`);
        case 'postcopy-failed':
          // The guest's CPU state is on the destination: the instance stays there, in error, for post-copy recovery.
          await this.instances.place(migration.instanceId, settled.destination.id, 'error');
          return this.finish(migration, 'failed', `${RESTARTED}: ${settled.reason}`, 'error');
      }
    } catch (err) {
      if (this.closing) return;
      this.logger.error(`recovery of ${migration.id} failed: ${errorMessage(err)}`);
      await this.finish(migration, 'failed', `recovery error: ${errorMessage(err)}`).catch((e: unknown) =>
        this.logger.error(`recovery of ${migration.id} could not be recorded: ${errorMessage(e)}`),
      );
    }
  }

  private async readCompletedStats(migration: LiveMigrationEntity, destination: HostEntity): Promise<void> {
    const stats = await this.hypervisor
      .withConnection(destination.libvirtUri, async (c) => {
        const p = await this.hypervisor.presence(c, migration.domainName);
        return p.present ? this.hypervisor.libvirt.jobStats(p.domain, { completed: true }) : null;
      })
      .catch(() => null);
    if (!stats) return;
    await this.recorder.save(migration, {
      hvTotalTimeMs: stats.timeElapsed ?? null,
      hvDowntimeMs: stats.downtime ?? null,
      hvSetupTimeMs: stats.setupTime ?? null,
      hvDataProcessedBytes: stats.dataProcessed ?? null,
      hvIterations: stats.memoryIteration ?? null,
    });
  }

  private async finish(
    migration: LiveMigrationEntity,
    state: 'completed' | 'failed',
    detail: string,
    instanceState: 'active' | 'error' = 'active',
  ): Promise<void> {
    await this.reservations.release(migration.id);
    if (migration.reportState === 'pending') {
      // The capture handles lived in the controller that died; the agents end those captures on their own time limit.
      await this.recorder.save(migration, {
        reportState: 'failed',
        reportError: 'the controller restarted (or the replica running it died) during the migration; its captures were not collected',
      });
    }
    if (state === 'failed') await this.instances.setState(migration.instanceId, instanceState);
    const networkNote = await this.settleNetwork(migration);
    await this.recorder.enterPhase(migration, state, `${detail}${networkNote}`);
  }

  /** The bindings follow wherever the guest was found: activated and committed there, or rolled back to the source. */
  private async settleNetwork(migration: LiveMigrationEntity): Promise<string> {
    if (!this.network) return '';
    const network = this.network;
    try {
      const instance = await this.instances.findById(migration.instanceId);
      const onDestination = instance?.hostId === migration.destinationHostId;
      const steps = onDestination
        ? [
            ...(await network.switchover(migration.instanceId, migration.destinationHostId)),
            ...(await network.commit(migration.instanceId, migration.sourceHostId)),
          ]
        : await network.rollback(migration.instanceId, migration.sourceHostId, migration.destinationHostId);
      if (steps.length === 0) return '';
      const phase = onDestination ? 'commitment' : 'rollback';
      await this.recorder.save(migration, {
        networkSteps: [...(migration.networkSteps ?? []), ...steps.map((s) => ({ ...s, phase }) as const)],
      });
      return steps.every((s) => s.ok) ? '' : `; network steps failed: ${failedSteps(steps)}`;
    } catch (err) {
      return `; network not settled: ${errorMessage(err)}`;
    }
  }
}
