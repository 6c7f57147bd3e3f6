import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FlavorEntity } from '../flavors/flavor.entity';
import { HostEntity } from '../hosts/host.entity';
import { InstanceEntity } from '../instances/instance.entity';
import { FlavorsRepository } from './flavors.repository';
import { HostsRepository } from './hosts.repository';
import { InstancesRepository } from './instances.repository';

/** The inventory's tables, for any module that reads or writes hosts, instances or flavors. */
@Module({
  imports: [TypeOrmModule.forFeature([HostEntity, InstanceEntity, FlavorEntity])],
  providers: [HostsRepository, InstancesRepository, FlavorsRepository],
  exports: [HostsRepository, InstancesRepository, FlavorsRepository],
})
export class InventoryRepositoriesModule {}
