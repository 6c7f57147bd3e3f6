import { ConflictException, HttpException, Injectable } from '@nestjs/common';
import { newId } from '../common/ids';
import { isConstraintViolation } from '../common/repositories/constraint-violation';
import { Transactions, type Transaction } from '../common/repositories/transactions';
import { InstancesRepository } from '../inventory/repositories/instances.repository';
import type { CreateMigrationDto } from './dto';
import { MigrationQueueService } from './migration-queue.service';
import { MigrationReadsService, type MigrationView } from './migration-reads.service';
import { MigrationRecorder } from './migration-recorder.service';
import { MigrationTargetsService } from './migration-targets.service';
import { PrecheckRefusal } from './precheck-refusal';
import { PrechecksService, type PrecheckResult } from './prechecks.service';
import { LiveMigrationsRepository } from './repositories/live-migrations.repository';
import type { LiveMigrationEntity } from './records/live-migration.entity';
import { DEFAULT_POLICY, resolvePolicy } from './resolve-policy';

type Created =
  | { busy: LiveMigrationEntity; migration: null }
  | { busy: null; migration: LiveMigrationEntity }
  // The instance left the source while the pre-checks ran.
  | { busy: null; migration: null; movedTo: string | null };

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
    private readonly instances: InstancesRepository,
  ) {}

  async request(dto: CreateMigrationDto): Promise<MigrationView> {
    const requestedAt = new Date();
    const policyName = dto.policyName ?? DEFAULT_POLICY;
    const policy = resolvePolicy(policyName, dto.policy ?? {});
    const instance = await this.targets.instance(dto.instanceId);
    await this.refuseWhenBusy(instance.id, instance.name);
    if (dto.sourceHostId !== undefined && instance.hostId !== dto.sourceHostId) throw movedConflict(instance.name, instance.hostId);
    const { flavor, source, destination } = await this.targets.targets(instance, dto.destinationHostId);

    let checked: PrecheckResult;
    try {
      checked = await this.prechecks.run({ instance, flavor, source, destination });
    } catch (err) {
      if (err instanceof PrecheckRefusal) {
        throw new HttpException({ message: err.message, details: { check: err.check, reason: err.reason, ...err.details } }, err.status);
      }
      throw err;
    }

    const queuedAt = new Date();
    const slowest = [...checked.checks].sort((a, b) => b.durationMs - a.durationMs)[0];
    const checksMs = queuedAt.getTime() - requestedAt.getTime();
    const queuedDetail = `${source.name} → ${destination.name}, policy ${policyName}; pre-checks ${checksMs} ms${slowest ? ` (slowest: ${slowest.name} ${slowest.durationMs} ms)` : ''}`;
    // One transaction: the busy check again (the pre-checks took time), the record and its first phase. A busy
    // instance commits nothing rather than rolling back: on SQLite a rollback would take concurrent writes with it.
    // The database has the last word: its partial unique index refuses a second active migration of the
    // instance made at the same moment on another replica (PostgreSQL rolls that transaction back).
    const created = await this.insertQueued(async (tx) => {
      const migrations = this.migrations.inTransaction(tx);
      const busy = await migrations.findUnfinishedOfInstance(instance.id);
      if (busy) return { busy, migration: null };
      // Another migration may have moved the guest, start to end, while the pre-checks ran: the source is stale.
      const now = await this.instances.inTransaction(tx).findById(instance.id);
      if (now !== null && now.hostId !== source.id) return { busy: null, migration: null, movedTo: now.hostId };
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
        requestedAt,
        requestToFirstByteMs: null,
        startedAt: null,
        finishedAt: null,
      });
      await migrations.addPhase(migration.id, 'queued', queuedAt, queuedDetail);
      return { busy: null, migration };
    }, instance.id);
    if (created.migration === null) {
      if (created.busy === null) throw movedConflict(instance.name, 'movedTo' in created ? created.movedTo : null);
      throw busyConflict(instance.name, created.busy);
    }
    const { migration } = created;
    this.recorder.published(migration.id, 'queued', queuedAt, queuedDetail);
    // Admission before the answer: a run this replica starts is in flight when the 202 goes out.
    await this.queue.submit();
    return this.reads.get(migration.id);
  }

  private async insertQueued(work: (tx: Transaction) => Promise<Created>, instanceId: string): Promise<Created> {
    try {
      return await this.transactions.run(work);
    } catch (err) {
      if (!isConstraintViolation(err)) throw err;
      const busy = await this.migrations.findUnfinishedOfInstance(instanceId);
      if (!busy) throw err;
      return { busy, migration: null };
    }
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

function movedConflict(instanceName: string, hostId: string | null): ConflictException {
  return new ConflictException({
    message: `instance ${instanceName} is no longer on the expected source host (another migration moved it)`,
    details: { reason: 'moved', hostId },
  });
}
