import { ConflictException, HttpException, Injectable } from '@nestjs/common';
import { newId } from '../common/ids';
import { Transactions } from '../common/repositories/transactions';
import type { CreateMigrationDto } from './dto';
import { MigrationQueueService } from './migration-queue.service';
import { MigrationReadsService, type MigrationView } from './migration-reads.service';
import { MigrationRecorder } from './migration-recorder.service';
import { MigrationTargetsService } from './migration-targets.service';
import { PrecheckRefusal } from './precheck-refusal';
import { PrechecksService } from './prechecks.service';
import { LiveMigrationsRepository } from './repositories/live-migrations.repository';
import { DEFAULT_POLICY, resolvePolicy } from './resolve-policy';

/** Requesting a migration: resolve (or schedule) where it goes, pre-check, record and queue. */
@Injectable()
export class MigrationRequestService {
  constructor(
    private readonly targets: MigrationTargetsService,
    private readonly migrations: LiveMigrationsRepository,
    private readonly transactions: Transactions,
    private readonly prechecks: PrechecksService,
    private readonly queue: MigrationQueueService,
    private readonly recorder: MigrationRecorder,
    private readonly reads: MigrationReadsService,
  ) {}

  async request(dto: CreateMigrationDto): Promise<MigrationView> {
    const policyName = dto.policyName ?? DEFAULT_POLICY;
    const policy = resolvePolicy(policyName, dto.policy ?? {});
    const instance = await this.targets.instance(dto.instanceId);
    await this.refuseWhenBusy(instance.id, instance.name);
    const { flavor, source, destination } = await this.targets.targets(instance, dto.destinationHostId);

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
    // One transaction: the busy check again (the pre-checks took time), the record and its first phase. A busy
    // instance commits nothing rather than rolling back: on SQLite a rollback would take concurrent writes with it.
    const created = await this.transactions.run(async (tx) => {
      const migrations = this.migrations.inTransaction(tx);
      const busy = await migrations.findUnfinishedOfInstance(instance.id);
      if (busy) return { busy, migration: null };
      const migration = await migrations.insert({
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
      await migrations.addPhase(migration.id, 'queued', queuedAt, queuedDetail);
      return { busy: null, migration };
    });
    if (created.migration === null) throw busyConflict(instance.name, created.busy);
    const { migration } = created;
    this.recorder.published(migration.id, 'queued', queuedAt, queuedDetail);
    this.queue.submit({ id: migration.id, sourceHostId: source.id, destinationHostId: destination.id });
    return this.reads.get(migration.id);
  }

  private async refuseWhenBusy(instanceId: string, instanceName: string): Promise<void> {
    const busy = await this.migrations.findUnfinishedOfInstance(instanceId);
    if (busy) throw busyConflict(instanceName, busy);
  }
}

function busyConflict(instanceName: string, busy: { id: string; state: string }): ConflictException {
  return new ConflictException({
    message: `instance ${instanceName} is already migrating (${busy.id}, ${busy.state})`,
    details: { migrationId: busy.id },
  });
}
