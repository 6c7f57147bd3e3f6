import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { InventoryModule } from '../inventory/inventory.module';
import { InventoryRepositoriesModule } from '../inventory/repositories/inventory-repositories.module';
import { FloatingIpsController } from './floating-ips/floating-ips.controller';
import { FloatingIpsService } from './floating-ips/floating-ips.service';
import { NetworkFollowService } from './follow/network-follow.service';
import { SwitchoverArming } from './follow/switchover-arming.service';
import { AgentHeartbeatService } from './heartbeat/agent-heartbeat.service';
import { NetworksController } from './networks/networks.controller';
import { NetworksService } from './networks/networks.service';
import { PortBindingService } from './ports/port-binding.service';
import { PortsController } from './ports/ports.controller';
import { PortsService } from './ports/ports.service';
import { PathsController } from './paths/paths.controller';
import { PathsService } from './paths/paths.service';
import { NetworkRepositoriesModule } from './repositories/network-repositories.module';
import { SitesRepositoriesModule } from './sites/repositories/sites-repositories.module';
import { StretchedNetworkMtu } from './sites/stretched-network-mtu';
import { VtepRevisionObserver } from './revision/vtep-revision.observer';
import { RoutersController } from './routers/routers.controller';
import { RoutersService } from './routers/routers.service';
import { SubnetsController } from './subnets/subnets.controller';
import { SubnetsService } from './subnets/subnets.service';
import { NetworkChanges } from './sync/network-changes.service';
import { NetworkModelLoader } from './sync/network-model.loader';
import { NetworkResyncService } from './sync/network-resync.service';
import { NetworkStatusController } from './sync/network-status.controller';
import { NetworkStatusService } from './sync/network-status.service';
import { NetworkSyncService } from './sync/network-sync.service';

/** Tenant networks (Neutron model), their compilation to per-host state and its push to the host agents. */
@Module({
  imports: [NetworkRepositoriesModule, SitesRepositoriesModule, InventoryRepositoriesModule, InventoryModule, AgentsModule],
  controllers: [
    NetworksController,
    SubnetsController,
    PortsController,
    RoutersController,
    FloatingIpsController,
    NetworkStatusController,
    PathsController,
  ],
  providers: [
    NetworksService,
    SubnetsService,
    PortsService,
    PortBindingService,
    RoutersService,
    FloatingIpsService,
    NetworkModelLoader,
    NetworkSyncService,
    NetworkStatusService,
    NetworkChanges,
    NetworkResyncService,
    NetworkFollowService,
    SwitchoverArming,
    AgentHeartbeatService,
    VtepRevisionObserver,
    PathsService,
    StretchedNetworkMtu,
  ],
  exports: [NetworkFollowService, NetworkSyncService, PortBindingService, PathsService],
})
export class NetworkModule {}
