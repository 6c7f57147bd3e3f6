import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FlavorEntity } from './flavors/flavor.entity';
import { FlavorsController } from './flavors/flavors.controller';
import { FlavorsService } from './flavors/flavors.service';
import { HostEntity } from './hosts/host.entity';
import { HostsController } from './hosts/hosts.controller';
import { HostsService } from './hosts/hosts.service';
import { InstanceEntity } from './instances/instance.entity';
import { InstancesController } from './instances/instances.controller';
import { InstancesService } from './instances/instances.service';

@Module({
  imports: [TypeOrmModule.forFeature([HostEntity, FlavorEntity, InstanceEntity])],
  controllers: [HostsController, FlavorsController, InstancesController],
  providers: [HostsService, FlavorsService, InstancesService],
  exports: [HostsService, FlavorsService, InstancesService],
})
export class InventoryModule {}
