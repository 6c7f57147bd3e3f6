import { Injectable } from '@nestjs/common';
import { LiveMigrationsRepository } from '../repositories/live-migrations.repository';
import { MigrationInventoryRepository } from '../repositories/migration-inventory.repository';
import { AbortRequests } from './abort-requests';
import type { RunContext } from './run-context';

/** Reads what a run needs from the database, once, before the first phase. */
@Injectable()
export class RunContextLoader {
  constructor(
    private readonly migrations: LiveMigrationsRepository,
    private readonly inventory: MigrationInventoryRepository,
    private readonly aborts: AbortRequests,
  ) {}

  async load(migrationId: string): Promise<RunContext> {
    const migration = await this.migrations.getById(migrationId);
    const instance = await this.inventory.getInstance(migration.instanceId);
    const flavor = await this.inventory.getFlavor(instance.flavorId);
    const [source, destination] = await Promise.all([
      this.inventory.getHost(migration.sourceHostId),
      this.inventory.getHost(migration.destinationHostId),
    ]);
    const abortRequested = () => this.aborts.has(migrationId);
    return { migration, instance, flavor, source, destination, abortRequested, networkSteps: [], networkPrePlugged: false };
  }

  /** The run has ended: a late abort request has nothing left to stop. */
  done(migrationId: string): void {
    this.aborts.forget(migrationId);
  }
}
