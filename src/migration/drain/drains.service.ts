import { ConflictException, HttpException, Injectable, NotFoundException } from '@nestjs/common';
import { newId } from '../../common/ids';
import { HostsRepository } from '../../inventory/repositories/hosts.repository';
import { DEFAULT_POLICY, MigrationsService, resolvePolicy } from '../migrations.service';
import { DrainExecutor } from './drain-executor.service';
import { DrainMoveEntity } from './drain-move.entity';
import { DrainOwnership } from './drain-ownership.service';
import type { DrainPlanView } from './drain-plan-view';
import { DEFAULT_DRAIN_MAX_PARALLEL, DrainPlanningService } from './drain-planning.service';
import { DrainEntity } from './drain.entity';
import type { CancelDrainDto, DrainHostDto } from './drain.dto';
import { DrainMovesRepository, type DrainMoveFields } from './repositories/drain-moves.repository';
import { DrainsRepository } from './repositories/drains.repository';

export type DrainView = DrainEntity & { moves: DrainMoveEntity[] };

/** Host drain use cases: plan, start (host to maintenance, moves run in the background), read, cancel. */
@Injectable()
export class DrainsService {
  constructor(
    private readonly drains: DrainsRepository,
    private readonly moves: DrainMovesRepository,
    private readonly hosts: HostsRepository,
    private readonly planning: DrainPlanningService,
    private readonly executor: DrainExecutor,
    private readonly migrations: MigrationsService,
    private readonly ownership: DrainOwnership,
  ) {}

  plan(hostId: string, dto: DrainHostDto): Promise<DrainPlanView> {
    return this.planning.plan({ hostId, destinations: dto.destinations, maxParallel: dto.maxParallel });
  }

  async start(hostId: string, dto: DrainHostDto): Promise<DrainView> {
    // A bad policy is refused before the host changes state, not once per move.
    if (dto.policyName || dto.policy) resolvePolicy(dto.policyName ?? DEFAULT_POLICY, dto.policy ?? {});
    const busy = await this.drains.findRunningOnHost(hostId);
    if (busy) throw new ConflictException({ message: `host ${hostId} is already draining (${busy.id})`, details: { drainId: busy.id } });
    const plan = await this.plan(hostId, dto);
    const id = newId();
    this.executor.reserve(id);
    // A new drain id: nobody else can hold its lock yet.
    const release = await this.ownership.claim(id);
    if (!release) {
      this.executor.unreserve(id);
      throw new Error(`drain ${id}: ownership lock unexpectedly taken`);
    }
    try {
      // Maintenance first: the scheduler and other drains stop choosing this host at once.
      await this.hosts.setState(hostId, 'maintenance');
      const drain = await this.drains.insert({
        id,
        hostId,
        state: 'running',
        maxParallel: dto.maxParallel ?? DEFAULT_DRAIN_MAX_PARALLEL,
        policyName: dto.policyName ?? null,
        policy: dto.policy ?? null,
        plan: { ...plan, hostId },
        cancelRequested: false,
        failureReason: null,
        finishedAt: null,
      });
      await this.moves.insertMany([
        ...plan.moves.map((m): DrainMoveFields => ({
          id: newId(),
          drainId: drain.id,
          order: m.order,
          instanceId: m.instanceId,
          instanceName: m.instanceName,
          destinationHostId: m.destinationHostId,
          migrationId: null,
          outcome: 'pending',
          reason: null,
          predictedTimeSec: m.predictedTimeSec,
          predictedDowntimeMs: m.predictedDowntimeMs,
        })),
        ...plan.unplaceable.map((u, i): DrainMoveFields => ({
          id: newId(),
          drainId: drain.id,
          order: plan.moves.length + i,
          instanceId: u.instanceId,
          instanceName: u.instanceName,
          destinationHostId: null,
          migrationId: null,
          outcome: 'unplaceable',
          reason: u.reason,
          predictedTimeSec: null,
          predictedDowntimeMs: null,
        })),
      ]);
      this.executor.start(drain, release);
    } catch (err) {
      this.executor.unreserve(id);
      await release();
      throw err;
    }
    return this.get(id);
  }

  async get(id: string): Promise<DrainView> {
    const drain = await this.drains.findById(id);
    if (!drain) throw new NotFoundException({ message: `drain ${id} not found`, details: { id } });
    const moves = await this.moves.findByDrain(id);
    return Object.assign(drain, { moves });
  }

  async list(hostId?: string): Promise<DrainEntity[]> {
    return this.drains.findRecent({ hostId });
  }

  async cancel(id: string, dto: CancelDrainDto): Promise<DrainView> {
    const drain = await this.get(id);
    if (drain.state !== 'running')
      throw new ConflictException({ message: `drain ${id} has already ended (${drain.state})`, details: { state: drain.state } });
    await this.drains.requestCancel(id);
    this.executor.cancel(id);
    if (dto.abortRunning) {
      for (const move of drain.moves) {
        if (move.outcome !== 'running' || !move.migrationId) continue;
        try {
          await this.migrations.abort(move.migrationId);
        } catch (err) {
          // Past the point of abort or already ended: it finishes and records its own outcome.
          if (!(err instanceof HttpException)) throw err;
        }
      }
    }
    return this.get(id);
  }

  whenDone(id: string): Promise<void> {
    return this.executor.whenDone(id);
  }
}
