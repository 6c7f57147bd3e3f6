import { HttpException, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { InstancesRepository } from '../../inventory/repositories/instances.repository';
import { MigrationQueueService } from '../migration-queue.service';
import { MigrationsService } from '../migrations.service';
import { DrainMoveEntity } from './drain-move.entity';
import type { DrainEntity, DrainState } from './drain.entity';
import { DrainEvents } from './drain-events';
import type { ReleaseOwnership } from './drain-ownership.service';
import { migrationEnd } from './migration-end';
import { DrainMovesRepository, type DrainMoveChange } from './repositories/drain-moves.repository';
import { DrainsRepository } from './repositories/drains.repository';

/** How many times a move waits for another workflow's migration of its instance before trying anyway. */
const BUSY_RETRIES = 3;

/** How often a running drain looks for a cancel made on another replica. */
const CANCEL_POLL_MS = 1000;

interface RunningDrain {
  cancelled: boolean;
  /** Wakes the loop when a move ends or the drain is cancelled. */
  wake: () => void;
  done: Promise<void>;
}

/** Runs a drain's moves in plan order, at most maxParallel at once; every instance ends with an outcome. */
@Injectable()
export class DrainExecutor implements OnModuleDestroy {
  private readonly logger = new Logger(DrainExecutor.name);
  private readonly running = new Map<string, RunningDrain>();
  private stopped = false;

  constructor(
    private readonly drains: DrainsRepository,
    private readonly moves: DrainMovesRepository,
    private readonly migrations: MigrationsService,
    private readonly queue: MigrationQueueService,
    private readonly events: DrainEvents,
    private readonly instances: InstancesRepository,
  ) {}

  /** Drains being created here: recovery must not take them for orphans before they start. */
  private readonly reserved = new Set<string>();

  isRunningHere(drainId: string): boolean {
    return this.running.has(drainId) || this.reserved.has(drainId);
  }

  reserve(drainId: string): void {
    this.reserved.add(drainId);
  }

  unreserve(drainId: string): void {
    this.reserved.delete(drainId);
  }

  /** Runs (or resumes) the drain while this controller owns it; ownership is released at the end. */
  start(drain: DrainEntity, release: ReleaseOwnership): void {
    let wake = () => {};
    const entry: RunningDrain = { cancelled: drain.cancelRequested, wake: () => wake(), done: Promise.resolve() };
    const signal = () => new Promise<void>((resolve) => (wake = resolve));
    entry.done = this.execute(drain, entry, signal)
      .catch(async (err: unknown) => {
        this.logger.error(`drain ${drain.id}: ${String(err)}`);
        await this.finish(drain.id, 'failed', err instanceof Error ? err.message : String(err)).catch(() => undefined);
      })
      .finally(async () => {
        this.running.delete(drain.id);
        // Releasing fails when the controller is stopping; the lock dies with its session anyway.
        await Promise.resolve(release()).catch(() => undefined);
      });
    this.running.set(drain.id, entry);
    this.reserved.delete(drain.id);
  }

  /** Stops starting moves; the caller aborts running ones if asked. */
  cancel(drainId: string): void {
    const entry = this.running.get(drainId);
    if (!entry) return;
    entry.cancelled = true;
    entry.wake();
  }

  /** Resolves when the drain's loop has ended (tests, shutdown). */
  whenDone(drainId: string): Promise<void> {
    return this.running.get(drainId)?.done ?? Promise.resolve();
  }

  /** Stops starting moves and gives up ownership before the database closes; another controller resumes. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    const entries = [...this.running.values()];
    for (const entry of entries) entry.wake();
    await Promise.all(entries.map((e) => e.done));
  }

  private async execute(drain: DrainEntity, entry: RunningDrain, signal: () => Promise<void>): Promise<void> {
    const open = await this.moves.findOpen(drain.id);
    const pending = open.filter((m) => m.outcome === 'pending');
    const inFlight = new Set<Promise<void>>();
    // Resuming after a restart: moves whose migration was already requested only need their end.
    for (const move of open.filter((m) => m.outcome === 'running')) {
      const run: Promise<void> = this.guard(move, this.awaitMove(move)).finally(() => {
        inFlight.delete(run);
        entry.wake();
      });
      inFlight.add(run);
    }
    for (;;) {
      while (!entry.cancelled && !this.stopped && inFlight.size < drain.maxParallel && pending.length > 0) {
        const move = pending.shift() as DrainMoveEntity;
        const run: Promise<void> = this.guard(move, this.runMove(drain, move)).finally(() => {
          inFlight.delete(run);
          entry.wake();
        });
        inFlight.add(run);
      }
      if (inFlight.size === 0 || this.stopped) break;
      await Promise.race([signal(), sleep(CANCEL_POLL_MS, undefined, { ref: false })]);
      // A cancel sent to another replica reaches us through the row.
      if (!entry.cancelled && (await this.drains.findById(drain.id))?.cancelRequested) entry.cancelled = true;
    }
    if (this.stopped) return;
    for (const move of pending) await this.record(move, { outcome: 'skipped', reason: 'drain cancelled before this move started' });
    const all = await this.moves.findByDrain(drain.id);
    // The verdict is where the guests are, not how each move went: another replica's migration (a rebalance)
    // may have taken one off the host first.
    const instances = await this.instances.findByIds(all.map((m) => m.instanceId));
    const left = instances.filter((i) => i.hostId === drain.hostId).length;
    const state: DrainState = entry.cancelled ? 'cancelled' : left === 0 ? 'completed' : 'failed';
    await this.finish(drain.id, state, state === 'failed' ? `${left} of ${all.length} instances are still on the host` : null);
  }

  /** A move's bookkeeping failing (database gone at shutdown) must not take the loop down with it. */
  private guard(move: DrainMoveEntity, work: Promise<void>): Promise<void> {
    return work.catch((err: unknown) => this.logger.warn(`drain ${move.drainId}, ${move.instanceName}: ${String(err)}`));
  }

  private async runMove(drain: DrainEntity, move: DrainMoveEntity): Promise<void> {
    // Fresh state before every try: a guest another migration moved off the host is skipped, not moved again;
    // one busy with another workflow's migration (a rebalance on another replica) is waited for, then looked at again.
    for (let attempt = 0; ; attempt++) {
      const instance = await this.instances.findById(move.instanceId);
      if (instance && instance.hostId !== drain.hostId) {
        await this.record(move, { outcome: 'skipped', reason: 'the instance had already left the host (another migration moved it)' });
        return;
      }
      let migrationId: string;
      try {
        const m = await this.migrations.request({
          instanceId: move.instanceId,
          destinationHostId: move.destinationHostId ?? undefined,
          // Checked again as the migration is recorded: a guest another workflow moved since the read above is not moved twice.
          sourceHostId: drain.hostId,
          policyName: drain.policyName ?? undefined,
          policy: drain.policy ?? undefined,
        });
        migrationId = m.id;
      } catch (err) {
        if (isMovedConflict(err)) {
          await this.record(move, { outcome: 'skipped', reason: 'the instance had already left the host (another migration moved it)' });
          return;
        }
        const busyWith = busyMigrationOf(err);
        if (busyWith && attempt < BUSY_RETRIES) {
          await migrationEnd(this.migrations, this.queue, busyWith);
          continue;
        }
        await this.record(move, { outcome: 'refused', reason: refusalReason(err) });
        return;
      }
      await this.record(move, { outcome: 'running', migrationId });
      await this.awaitMove(move);
      return;
    }
  }

  private async awaitMove(move: DrainMoveEntity): Promise<void> {
    if (!move.migrationId) {
      await this.record(move, { outcome: 'failed', reason: 'no migration was recorded for this move' });
      return;
    }
    const end = await migrationEnd(this.migrations, this.queue, move.migrationId);
    await this.record(move, { outcome: end.state, reason: end.failureReason });
  }

  private async record(move: DrainMoveEntity, change: DrainMoveChange): Promise<void> {
    Object.assign(move, change);
    await this.moves.update(move.id, change);
    this.events.emit(move.drainId, {
      type: 'move',
      data: {
        instanceId: move.instanceId,
        instanceName: move.instanceName,
        outcome: move.outcome,
        migrationId: move.migrationId,
        reason: move.reason,
      },
    });
  }

  private async finish(drainId: string, state: DrainState, failureReason: string | null): Promise<void> {
    await this.drains.finish(drainId, state, failureReason, new Date());
    this.events.emit(drainId, { type: 'state', data: { state, failureReason } });
  }
}

/** The migration a 409 "already migrating" names, if that was the refusal. */
function isMovedConflict(err: unknown): boolean {
  if (!(err instanceof HttpException) || err.getStatus() !== 409) return false;
  const body = err.getResponse();
  const details = typeof body === 'object' && body !== null ? (body as { details?: { reason?: unknown } }).details : undefined;
  return details?.reason === 'moved';
}

function busyMigrationOf(err: unknown): string | null {
  if (!(err instanceof HttpException) || err.getStatus() !== 409) return null;
  const body = err.getResponse();
  const details = typeof body === 'object' && body !== null ? (body as { details?: { migrationId?: unknown } }).details : undefined;
  return details && typeof details.migrationId === 'string' ? details.migrationId : null;
}

/** A refused pre-check names its check; anything else keeps its message. */
function refusalReason(err: unknown): string {
  if (err instanceof HttpException) {
    const body = err.getResponse();
    const details = typeof body === 'object' && body !== null ? (body as { details?: { check?: unknown } }).details : undefined;
    const check = details && typeof details.check === 'string' ? `${details.check}: ` : '';
    return `${err.getStatus()} ${check}${err.message}`;
  }
  return err instanceof Error ? err.message : String(err);
}
