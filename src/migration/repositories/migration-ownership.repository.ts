import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository, SelectQueryBuilder, UpdateQueryBuilder } from 'typeorm';
import type { Transaction } from '../../common/repositories/transactions';
import type { QueuedMigration } from '../core';
import { TERMINAL_STATES } from '../migration-phase';
import { LiveMigrationEntity } from '../records/live-migration.entity';

const ACTIVE = `m.state NOT IN (${TERMINAL_STATES.map((s) => `'${s}'`).join(', ')})`;

/** What the cluster-wide queue needs to admit: what runs (has an owner) and what waits, oldest first. */
export interface AdmissionView {
  running: QueuedMigration[];
  waiting: QueuedMigration[];
}

/**
 * Who runs which migration across replicas: an owner id and a lease on the row. Lease times are the
 * database's clock on PostgreSQL (replicas' clocks may differ); SQLite has one process and uses its own.
 */
@Injectable()
export class MigrationOwnershipRepository {
  constructor(@InjectRepository(LiveMigrationEntity) private readonly migrations: Repository<LiveMigrationEntity>) {}

  inTransaction(tx: Transaction): MigrationOwnershipRepository {
    return new MigrationOwnershipRepository(tx.manager.getRepository(LiveMigrationEntity));
  }

  private get postgres(): boolean {
    return this.migrations.manager.connection.options.type === 'postgres';
  }

  async admissionView(): Promise<AdmissionView> {
    const rows = await this.migrations
      .createQueryBuilder('m')
      .select(['m.id', 'm.sourceHostId', 'm.destinationHostId', 'm.ownerId', 'm.state', 'm.abortRequested', 'm.createdAt'])
      .where(ACTIVE)
      .andWhere("(m.owner_id IS NOT NULL OR (m.state = 'queued' AND m.abort_requested = :no))", { no: false })
      .orderBy('m.created_at', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .getMany();
    const place = (m: LiveMigrationEntity): QueuedMigration => ({
      id: m.id,
      sourceHostId: m.sourceHostId,
      destinationHostId: m.destinationHostId,
    });
    return { running: rows.filter((m) => m.ownerId !== null).map(place), waiting: rows.filter((m) => m.ownerId === null).map(place) };
  }

  /** Takes a waiting migration for `ownerId`; false when another replica took it (or it was withdrawn) first. */
  async claimQueued(id: string, ownerId: string, leaseMs: number): Promise<boolean> {
    const update = this.withLease(this.migrations.createQueryBuilder().update(LiveMigrationEntity), ownerId, leaseMs).where(
      'id = :id AND state = :queued AND owner_id IS NULL AND abort_requested = :no',
      { id, queued: 'queued', no: false },
    );
    return ((await update.execute()).affected ?? 0) > 0;
  }

  /** Renews every lease `ownerId` holds on an unfinished migration; the ids it still owns. */
  async renew(ownerId: string, leaseMs: number): Promise<number> {
    const update = this.withLease(this.migrations.createQueryBuilder().update(LiveMigrationEntity), ownerId, leaseMs)
      .where('owner_id = :ownerId', { ownerId })
      .andWhere(ACTIVE.replace(/m\./g, ''));
    return (await update.execute()).affected ?? 0;
  }

  /** Expires this replica's leases at once (a clean shutdown): others adopt without waiting out the lease. */
  async giveUp(ownerId: string): Promise<void> {
    await this.migrations
      .createQueryBuilder()
      .update(LiveMigrationEntity)
      .set({ leaseExpiresAt: new Date(0) })
      .where('owner_id = :ownerId', { ownerId })
      .andWhere(ACTIVE.replace(/m\./g, ''))
      .execute();
  }

  /**
   * Claims unfinished migrations whose owner's lease has expired (or that have no owner though they started,
   * as an older controller left them), `FOR UPDATE SKIP LOCKED` so two adopters never take the same row.
   * `everyone`: the whole unfinished set (SQLite, where only this process can be running).
   */
  async claimOrphans(
    ownerId: string,
    leaseMs: number,
    options: { everyone: boolean } = { everyone: false },
  ): Promise<LiveMigrationEntity[]> {
    let select: SelectQueryBuilder<LiveMigrationEntity> = this.migrations
      .createQueryBuilder('m')
      .select(['m.id'])
      .where(ACTIVE)
      .andWhere('(m.owner_id IS NULL OR m.owner_id <> :ownerId)', { ownerId });
    if (!options.everyone) {
      select = select.andWhere(
        `((m.owner_id IS NOT NULL AND (m.lease_expires_at IS NULL OR m.lease_expires_at < ${this.postgres ? 'now()' : ':now'}))
          OR (m.owner_id IS NULL AND m.state <> 'queued'))`,
        this.postgres ? {} : { now: new Date() },
      );
    }
    if (this.postgres) select = select.setLock('pessimistic_write').setOnLocked('skip_locked');
    const ids = (await select.getMany()).map((m) => m.id);
    if (ids.length === 0) return [];
    await this.withLease(this.migrations.createQueryBuilder().update(LiveMigrationEntity), ownerId, leaseMs)
      .where('id IN (:...ids)', { ids })
      .execute();
    return this.migrations.find({ where: ids.map((id) => ({ id })), order: { createdAt: 'ASC' } });
  }

  /** An adopted migration that never started goes back to waiting, in its old place in line. */
  async requeue(id: string, ownerId: string): Promise<void> {
    await this.migrations
      .createQueryBuilder()
      .update(LiveMigrationEntity)
      .set({ ownerId: null, leaseExpiresAt: null })
      .where('id = :id AND owner_id = :ownerId AND state = :queued', { id, ownerId, queued: 'queued' })
      .execute();
  }

  /** Abort requests, persisted by whichever replica took them, for migrations `ownerId` runs. */
  async abortsRequestedOf(ownerId: string): Promise<string[]> {
    const rows = await this.migrations
      .createQueryBuilder('m')
      .select(['m.id'])
      .where(ACTIVE)
      .andWhere('m.owner_id = :ownerId AND m.abort_requested = :yes', { ownerId, yes: true })
      .getMany();
    return rows.map((m) => m.id);
  }

  private withLease(update: UpdateQueryBuilder<LiveMigrationEntity>, ownerId: string, leaseMs: number) {
    const seconds = Math.max(0, leaseMs) / 1000;
    return update.set(
      this.postgres
        ? { ownerId, leaseExpiresAt: () => `now() + make_interval(secs => ${seconds})` }
        : { ownerId, leaseExpiresAt: new Date(Date.now() + leaseMs) },
    );
  }
}
