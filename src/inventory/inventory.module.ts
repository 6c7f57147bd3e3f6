import { Module } from '@nestjs/common';
import { FlavorsController } from './flavors/flavors.controller';
import { FlavorsService } from './flavors/flavors.service';
import { HostChanges } from './hosts/host-changes';
import { HostsController } from './hosts/hosts.controller';
import { HostsService } from './hosts/hosts.service';
import { SealAgentTokensService } from './hosts/seal-agent-tokens.service';
import { InstancesController } from './instances/instances.controller';
import { InstancesService } from './instances/instances.service';
import { InventoryRepositoriesModule } from './repositories/inventory-repositories.module';

@Module({
  imports: [InventoryRepositoriesModule],
  controllers: [HostsController, FlavorsController, InstancesController],
  providers: [HostsService, FlavorsService, InstancesService, HostChanges, SealAgentTokensService],
  exports: [HostsService, FlavorsService, InstancesService, InventoryRepositoriesModule, HostChanges],
})
export class InventoryModule {}
