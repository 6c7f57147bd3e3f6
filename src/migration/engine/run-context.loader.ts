import { Injectable } from '@nestjs/common';
import { LiveMigrationsRepository } from '../repositories/live-migrations.repository';
import { FlavorsRepository } from '../../inventory/repositories/flavors.repository';
import { HostsRepository } from '../../inventory/repositories/hosts.repository';
import { InstancesRepository } from '../../inventory/repositories/instances.repository';
import { AbortRequests } from './abort-requests';
import type { RunContext } from './run-context';

/** Reads what a run needs from the database, once, before the first phase. */
@Injectable()
export class RunContextLoader {
  constructor(
    private readonly migrations: LiveMigrationsRepository,
    private readonly instances: InstancesRepository,
    private readonly flavors: FlavorsRepository,
    private readonly hosts: HostsRepository,
    private readonly aborts: AbortRequests,
  ) {}

  async load(migrationId: string): Promise<RunContext> {
    const migration = await this.migrations.getById(migrationId);
    const instance = await this.instances.getById(migration.instanceId);
    const flavor = await this.flavors.getById(instance.flavorId);
    const [source, destination] = await Promise.all([
      this.hosts.getById(migration.sourceHostId),
      this.hosts.getById(migration.destinationHostId),
    ]);
    const abortRequested = () => this.aborts.has(migrationId);
    return { migration, instance, flavor, source, destination, abortRequested, networkSteps: [], networkPrePlugged: false };
  }

  /** The run has ended: a late abort request has nothing left to stop. */
  done(migrationId: string): void {
    this.aborts.forget(migrationId);
  }
}
