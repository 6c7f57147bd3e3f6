import {
  BadRequestException,
  ConflictException,
  HttpException,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Not, type FindOptionsWhere, type Repository } from 'typeorm';
import { toPage, type Page } from '../common/http/page';
import { newId } from '../common/ids';
import { FlavorEntity } from '../inventory/flavors/flavor.entity';
import { HostEntity } from '../inventory/hosts/host.entity';
import { InstanceEntity } from '../inventory/instances/instance.entity';
import { AgentDirectory } from '../agents/agent-directory.service';
import {
  CONVERGENCE_PRESETS,
  isConvergencePresetName,
  mergePolicy,
  scheduleInstance,
  summariseRejections,
  type ConvergencePolicy,
} from './core';
import type { CreateMigrationDto, MigrationQueryDto } from './dto';
import { HostCapacityService } from './host-capacity.service';
import { MigrationQueueService } from './migration-queue.service';
import { MigrationRecorder } from './migration-recorder.service';
import { MigrationRunner } from './migration-runner.service';
import { isTerminal, TERMINAL_STATES } from './migration-phase';
import { PrecheckRefusal } from './precheck-refusal';
import { PrechecksService } from './prechecks.service';
import { LiveMigrationEntity } from './records/live-migration.entity';
import { MigrationPhaseEntity } from './records/migration-phase.entity';
import { MigrationSampleEntity } from './records/migration-sample.entity';

export type MigrationView = LiveMigrationEntity & { phases: MigrationPhaseEntity[]; sampleCount: number };

const DEFAULT_POLICY = 'nova-default';

/** Use cases of the migration API: request (schedule + pre-check + queue), read, abort. */
@Injectable()
export class MigrationsService {
  constructor(
    @InjectRepository(LiveMigrationEntity) private readonly migrations: Repository<LiveMigrationEntity>,
    @InjectRepository(MigrationPhaseEntity) private readonly phases: Repository<MigrationPhaseEntity>,
    @InjectRepository(MigrationSampleEntity) private readonly samples: Repository<MigrationSampleEntity>,
    @InjectRepository(InstanceEntity) private readonly instances: Repository<InstanceEntity>,
    @InjectRepository(FlavorEntity) private readonly flavors: Repository<FlavorEntity>,
    @InjectRepository(HostEntity) private readonly hosts: Repository<HostEntity>,
    private readonly capacity: HostCapacityService,
    private readonly agents: AgentDirectory,
    private readonly prechecks: PrechecksService,
    private readonly queue: MigrationQueueService,
    private readonly runner: MigrationRunner,
    private readonly recorder: MigrationRecorder,
  ) {}

  async request(dto: CreateMigrationDto): Promise<MigrationView> {
    const policyName = dto.policyName ?? DEFAULT_POLICY;
    const policy = resolvePolicy(policyName, dto.policy ?? {});
    const instance = await this.instances.findOneBy({ id: dto.instanceId });
    if (!instance)
      throw new UnprocessableEntityException({
        message: `instanceId ${dto.instanceId} refers to no instance`,
        details: { field: 'instanceId' },
      });
    const busy = await this.migrations.findOneBy({ instanceId: instance.id, state: Not(In([...TERMINAL_STATES])) });
    if (busy)
      throw new ConflictException({
        message: `instance ${instance.name} is already migrating (${busy.id}, ${busy.state})`,
        details: { migrationId: busy.id },
      });
    const flavor = await this.flavors.findOneByOrFail({ id: instance.flavorId });
    const source = await this.hosts.findOneByOrFail({ id: instance.hostId });
    const destination = dto.destinationHostId
      ? await this.hosts.findOneBy({ id: dto.destinationHostId })
      : await this.schedule(instance, flavor);
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

    const migration = await this.migrations.save(
      this.migrations.create({
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
      }),
    );
    await this.recorder.enterPhase(migration, 'queued', `${source.name} → ${destination.name}, policy ${policyName}`);
    this.queue.submit({ id: migration.id, sourceHostId: source.id, destinationHostId: destination.id });
    return this.get(migration.id);
  }

  async list(query: MigrationQueryDto): Promise<Page<MigrationView>> {
    const base: FindOptionsWhere<LiveMigrationEntity> = {};
    if (query.state) base.state = query.state;
    if (query.instanceId) base.instanceId = query.instanceId;
    const where = query.hostId
      ? [
          { ...base, sourceHostId: query.hostId },
          { ...base, destinationHostId: query.hostId },
        ]
      : base;
    const [items, total] = await this.migrations.findAndCount({
      where,
      order: { createdAt: 'DESC' },
      skip: (query.page - 1) * query.limit,
      take: query.limit,
    });
    return toPage([await Promise.all(items.map((m) => this.view(m))), total], query);
  }

  async get(id: string): Promise<MigrationView> {
    const migration = await this.migrations.findOneBy({ id });
    if (!migration) throw new NotFoundException({ message: `migration ${id} not found`, details: { id } });
    return this.view(migration);
  }

  async samplesOf(id: string): Promise<MigrationSampleEntity[]> {
    await this.get(id);
    return this.samples.find({ where: { migrationId: id }, order: { elapsedMs: 'ASC' } });
  }

  async abort(id: string): Promise<MigrationView> {
    const migration = await this.migrations.findOneBy({ id });
    if (!migration) throw new NotFoundException({ message: `migration ${id} not found`, details: { id } });
    if (isTerminal(migration.state))
      throw new ConflictException({
        message: `migration ${id} has already ended (${migration.state})`,
        details: { state: migration.state },
      });
    if (migration.state === 'switchover' || migration.state === 'commitment') {
      throw new ConflictException({
        message: `migration ${id} is past the point of abort (${migration.state})`,
        details: { state: migration.state },
      });
    }
    await this.recorder.save(migration, { abortRequested: true });
    if (this.queue.withdraw(id)) {
      await this.recorder.enterPhase(migration, 'aborted', 'aborted by request while queued');
    } else {
      this.runner.requestAbort(id);
    }
    return this.view(migration);
  }

  private async view(migration: LiveMigrationEntity): Promise<MigrationView> {
    const [phases, sampleCount] = await Promise.all([
      this.phases.find({ where: { migrationId: migration.id }, order: { enteredAt: 'ASC', id: 'ASC' } }),
      this.samples.countBy({ migrationId: migration.id }),
    ]);
    return Object.assign(migration, { phases, sampleCount });
  }

  /** Nova-style: filter enabled hosts with an answering agent and room, weigh by free RAM. */
  private async schedule(instance: InstanceEntity, flavor: FlavorEntity): Promise<HostEntity> {
    const hosts = await this.hosts.find();
    const candidates = hosts.filter((h) => h.state === 'enabled' && h.id !== instance.hostId);
    await Promise.all(candidates.map((h) => this.agents.check(h.id)));
    const capacities = await this.capacity.capacities((h) => this.agents.recentlyUp(h.id));
    const result = scheduleInstance({ instance: { hostId: instance.hostId, vcpus: flavor.vcpus, memoryMiB: flavor.ramMiB } }, capacities);
    const best = result.ranked[0];
    if (!best) {
      const why = summariseRejections(result.rejected)
        .map((r) => `${r.reason} (${r.hostCount})`)
        .join(', ');
      throw new ConflictException({
        message: `no valid host for ${instance.name}: ${why || 'no other hosts'}`,
        details: { check: 'capacity', rejected: result.rejected },
      });
    }
    return hosts.find((h) => h.id === best.host.id)!;
  }
}

export function resolvePolicy(name: string, overrides: Record<string, unknown>): ConvergencePolicy {
  if (!isConvergencePresetName(name))
    throw new BadRequestException({ message: `unknown policy ${name}`, details: { field: 'policyName' } });
  const merged = mergePolicy(CONVERGENCE_PRESETS[name], overrides);
  if (!merged.ok)
    throw new BadRequestException({
      message: `invalid policy: ${merged.errors.join('; ')}`,
      details: [{ field: 'policy', errors: merged.errors }],
    });
  return merged.policy;
}
