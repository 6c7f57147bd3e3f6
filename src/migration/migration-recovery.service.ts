import { Inject, Injectable, Logger, Optional, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { In, Not, type Repository } from 'typeorm';
import { HostEntity } from '../inventory/hosts/host.entity';
import { InstanceEntity } from '../inventory/instances/instance.entity';
import { errorMessage, Hypervisor, type GuestPresence } from './hypervisor';
import { MigrationQueueService } from './migration-queue.service';
import { MigrationRecorder } from './migration-recorder.service';
import { NETWORK_FOLLOWER, type NetworkFollower } from './network-follower';
import { TERMINAL_STATES } from './migration-phase';
import { reconcile, type Whereabouts } from './reconcile';
import { LiveMigrationEntity } from './records/live-migration.entity';
import { ReservationsService } from './reservations.service';

const POLL_MS = 1000;
const MAX_WAIT_MS = 30 * 60_000;

/** On start, settles every migration a previous controller left unfinished, from libvirt's truth. */
@Injectable()
export class MigrationRecoveryService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MigrationRecoveryService.name);
  private recovering: Promise<void> = Promise.resolve();
  /** Set at shutdown: settling stops at its next poll, before the database closes under it. */
  private closing = false;

  constructor(
    @InjectRepository(LiveMigrationEntity) private readonly migrations: Repository<LiveMigrationEntity>,
    @InjectRepository(HostEntity) private readonly hosts: Repository<HostEntity>,
    @InjectRepository(InstanceEntity) private readonly instances: Repository<InstanceEntity>,
    private readonly hypervisor: Hypervisor,
    private readonly recorder: MigrationRecorder,
    private readonly reservations: ReservationsService,
    private readonly queue: MigrationQueueService,
    @Optional() @Inject(NETWORK_FOLLOWER) private readonly network: NetworkFollower | null = null,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const unfinished = await this.migrations.find({ where: { state: Not(In([...TERMINAL_STATES])) }, order: { createdAt: 'ASC' } });
    const interrupted: LiveMigrationEntity[] = [];
    for (const m of unfinished) {
      if (m.state === 'queued' && !m.abortRequested)
        this.queue.submit({ id: m.id, sourceHostId: m.sourceHostId, destinationHostId: m.destinationHostId });
      else interrupted.push(m);
    }
    if (interrupted.length > 0) this.logger.warn(`recovering ${interrupted.length} interrupted migration(s)`);
    // In the background: a migration still copying may take minutes to end.
    this.recovering = Promise.all(interrupted.map((m) => this.settle(m))).then(() => undefined);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await this.recovering;
  }

  /** Resolves when every interrupted migration found at start has been settled. */
  settled(): Promise<void> {
    return this.recovering;
  }

  private async settle(migration: LiveMigrationEntity): Promise<void> {
    try {
      const [source, destination] = await Promise.all([
        this.hosts.findOneByOrFail({ id: migration.sourceHostId }),
        this.hosts.findOneByOrFail({ id: migration.destinationHostId }),
      ]);
      const started = Date.now();
      for (;;) {
        const [onSource, sourceJobActive] = await this.look(source, migration.domainName, true);
        const [onDestination] = await this.look(destination, migration.domainName, false);
        const decision = reconcile(onSource, onDestination, sourceJobActive);
        if (this.closing) return;
        if (decision.verdict === 'wait') {
          if (Date.now() - started > MAX_WAIT_MS) return this.finish(migration, 'failed', `recovery gave up: ${decision.reason}`);
          await sleep(POLL_MS);
          continue;
        }
        switch (decision.verdict) {
          case 'completed':
            await this.instances.update({ id: migration.instanceId }, { hostId: destination.id, state: 'active' });
            await this.readCompletedStats(migration, destination);
            return this.finish(migration, 'completed', `recovered after a controller restart: guest runs on ${destination.name}`);
          case 'failed':
            return this.finish(migration, 'failed', decision.reason);
          case 'destroy-destination-copy':
            await this.hypervisor.withConnection(destination.libvirtUri, async (c) => {
              const p = await this.hypervisor.presence(c, migration.domainName);
              if (p.present) await this.hypervisor.libvirt.destroy(p.domain);
            });
            return this.finish(migration, 'failed', `${decision.reason}; the destination copy was destroyed`);
          case 'start-on': {
            const host = decision.host === 'source' ? source : destination;
            await this.hypervisor.withConnection(host.libvirtUri, async (c) => {
              const p = await this.hypervisor.presence(c, migration.domainName);
              if (p.present) await this.hypervisor.libvirt.start(p.domain);
            });
            await this.instances.update({ id: migration.instanceId }, { hostId: host.id, state: 'active' });
            return this.finish(migration, 'failed', `${decision.reason}; started it on ${host.name}`);
          }
        }
      }
    } catch (err) {
      if (this.closing) return;
      this.logger.error(`recovery of ${migration.id} failed: ${errorMessage(err)}`);
      await this.finish(migration, 'failed', `recovery error: ${errorMessage(err)}`).catch((e: unknown) =>
        this.logger.error(`recovery of ${migration.id} could not be recorded: ${errorMessage(e)}`),
      );
    }
  }

  private async look(host: HostEntity, domainName: string, withJob: boolean): Promise<[Whereabouts, boolean]> {
    try {
      return await this.hypervisor.withConnection(host.libvirtUri, async (c) => {
        const presence: GuestPresence = await this.hypervisor.presence(c, domainName);
        if (!presence.present) return [{ present: false }, false];
        const job = withJob ? await this.hypervisor.libvirt.jobStats(presence.domain).catch(() => null) : null;
        return [{ present: true, state: presence.state }, job !== null && job.type !== 'none'];
      });
    } catch {
      return [null, false];
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

  private async finish(migration: LiveMigrationEntity, state: 'completed' | 'failed', detail: string): Promise<void> {
    await this.reservations.release(migration.id);
    if (migration.reportState === 'pending') {
      // The capture handles lived in the controller that died; the agents end those captures on their own time limit.
      await this.recorder.save(migration, {
        reportState: 'failed',
        reportError: 'the controller restarted during the migration; its captures were not collected',
      });
    }
    if (state === 'failed') await this.instances.update({ id: migration.instanceId }, { state: 'active' });
    const networkNote = await this.settleNetwork(migration);
    await this.recorder.enterPhase(migration, state, `${detail}${networkNote}`);
  }

  /** The bindings follow wherever the guest was found: activated and committed there, or rolled back to the source. */
  private async settleNetwork(migration: LiveMigrationEntity): Promise<string> {
    if (!this.network) return '';
    const network = this.network;
    try {
      const instance = await this.instances.findOneBy({ id: migration.instanceId });
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
      const failed = steps.filter((s) => !s.ok);
      return failed.length === 0
        ? ''
        : `; network steps failed: ${failed.map((s) => `${s.step}${s.host ? ` on ${s.host}` : ''}: ${s.error ?? 'failed'}`).join('; ')}`;
    } catch (err) {
      return `; network not settled: ${errorMessage(err)}`;
    }
  }
}
