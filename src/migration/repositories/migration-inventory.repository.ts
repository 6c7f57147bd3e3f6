import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { FlavorEntity } from '../../inventory/flavors/flavor.entity';
import { HostEntity } from '../../inventory/hosts/host.entity';
import { InstanceEntity, type InstanceState } from '../../inventory/instances/instance.entity';

/**
 * What the migration engine reads and changes of the inventory: hosts, flavors, and the instance's
 * host and state. One narrow door, so the engine's services never touch TypeORM.
 */
@Injectable()
export class MigrationInventoryRepository {
  constructor(
    @InjectRepository(HostEntity) private readonly hosts: Repository<HostEntity>,
    @InjectRepository(InstanceEntity) private readonly instances: Repository<InstanceEntity>,
    @InjectRepository(FlavorEntity) private readonly flavors: Repository<FlavorEntity>,
  ) {}

  findHost(id: string): Promise<HostEntity | null> {
    return this.hosts.findOneBy({ id });
  }

  getHost(id: string): Promise<HostEntity> {
    return this.hosts.findOneByOrFail({ id });
  }

  allHosts(): Promise<HostEntity[]> {
    return this.hosts.find();
  }

  findInstance(id: string): Promise<InstanceEntity | null> {
    return this.instances.findOneBy({ id });
  }

  getInstance(id: string): Promise<InstanceEntity> {
    return this.instances.findOneByOrFail({ id });
  }

  allInstances(): Promise<InstanceEntity[]> {
    return this.instances.find();
  }

  getFlavor(id: string): Promise<FlavorEntity> {
    return this.flavors.findOneByOrFail({ id });
  }

  allFlavors(): Promise<FlavorEntity[]> {
    return this.flavors.find();
  }

  async setInstanceState(id: string, state: InstanceState): Promise<void> {
    await this.instances.update({ id }, { state });
  }

  /** The instance now lives on `hostId`. */
  async placeInstance(id: string, hostId: string, state: InstanceState = 'active'): Promise<void> {
    await this.instances.update({ id }, { hostId, state });
  }
}
