import { ConflictException, HttpException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { newId } from '../common/ids';
import { DestinationScheduler } from './destination-scheduler.service';
import type { CreateMigrationDto } from './dto';
import { MigrationQueueService } from './migration-queue.service';
import { MigrationReadsService, type MigrationView } from './migration-reads.service';
import { MigrationRecorder } from './migration-recorder.service';
import { PrecheckRefusal } from './precheck-refusal';
import { PrechecksService } from './prechecks.service';
import { LiveMigrationsRepository } from './repositories/live-migrations.repository';
import { MigrationInventoryRepository } from './repositories/migration-inventory.repository';
import { MigrationUnitOfWork } from './repositories/migration-unit-of-work';
import { DEFAULT_POLICY, resolvePolicy } from './resolve-policy';

/** Requesting a migration: schedule when no destination is given, pre-check, record and queue. */
@Injectable()
export class MigrationRequestService {
  constructor(
    private readonly inventory: MigrationInventoryRepository,
    private readonly migrations: LiveMigrationsRepository,
    private readonly unitOfWork: MigrationUnitOfWork,
    private readonly scheduler: DestinationScheduler,
    private readonly prechecks: PrechecksService,
    private readonly queue: MigrationQueueService,
    private readonly recorder: MigrationRecorder,
    private readonly reads: MigrationReadsService,
  ) {}

  async request(dto: CreateMigrationDto): Promise<MigrationView> {
    const policyName = dto.policyName ?? DEFAULT_POLICY;
    const policy = resolvePolicy(policyName, dto.policy ?? {});
    const instance = await this.inventory.findInstance(dto.instanceId);
    if (!instance)
      throw new UnprocessableEntityException({
        message: `instanceId ${dto.instanceId} refers to no instance`,
        details: { field: 'instanceId' },
      });
    await this.refuseWhenBusy(instance.id, instance.name);
    const flavor = await this.inventory.getFlavor(instance.flavorId);
    const source = await this.inventory.getHost(instance.hostId);
    const destination = dto.destinationHostId
      ? await this.inventory.findHost(dto.destinationHostId)
      : await this.scheduler.pick(instance, flavor);
    if (!destination) {
      throw new UnprocessableEntityException({
        message: `destinationHostId ${dto.destinationHostId} refers to no host`,
        details: { check: 'destination', field: 'destinationHostId' },
      });
    }

    try {
      await this.prechecks.run({ instance, flavor, source, destination });
    } catch (err) {
      if (err instanceof PrecheckRefusal) {
        throw new HttpException({ message: err.message, details: { check: err.check, reason: err.reason, ...err.details } }, err.status);
      }
      throw err;
    }

    const queuedAt = new Date();
    const queuedDetail = `${source.name} → ${destination.name}, policy ${policyName}`;
    // One transaction: the busy check again, the record and its first phase; a racing request for the same instance sees it.
    const migration = await this.unitOfWork.run(async (tx) => {
      await this.refuseWhenBusy(instance.id, instance.name, tx.migrations);
      const created = await tx.migrations.insert({
        id: newId(),
        instanceId: instance.id,
        instanceName: instance.name,
        domainName: instance.domainName,
        flavorName: flavor.name,
        flavorRamMiB: flavor.ramMiB,
        sourceHostId: source.id,
        destinationHostId: destination.id,
        state: 'queued',
        policyName,
        policy,
        failureReason: null,
        abortRequested: false,
        convergenceEvents: [],
        startedAt: null,
        finishedAt: null,
      });
      await tx.migrations.addPhase(created.id, 'queued', queuedAt, queuedDetail);
      return created;
    });
    this.recorder.published(migration.id, 'queued', queuedAt, queuedDetail);
    this.queue.submit({ id: migration.id, sourceHostId: source.id, destinationHostId: destination.id });
    return this.reads.get(migration.id);
  }

  private async refuseWhenBusy(instanceId: string, instanceName: string, migrations = this.migrations): Promise<void> {
    const busy = await migrations.findUnfinishedOfInstance(instanceId);
    if (busy)
      throw new ConflictException({
        message: `instance ${instanceName} is already migrating (${busy.id}, ${busy.state})`,
        details: { migrationId: busy.id },
      });
  }
}
