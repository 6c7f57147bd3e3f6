import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentsModule } from '../agents/agents.module';
import { HostEntity } from '../inventory/hosts/host.entity';
import { FloatingIpEntity } from './floating-ips/floating-ip.entity';
import { FloatingIpsController } from './floating-ips/floating-ips.controller';
import { FloatingIpsService } from './floating-ips/floating-ips.service';
import { NetworkFollowService } from './follow/network-follow.service';
import { AgentHeartbeatService } from './heartbeat/agent-heartbeat.service';
import { NetworkEntity } from './networks/network.entity';
import { NetworksController } from './networks/networks.controller';
import { NetworksService } from './networks/networks.service';
import { PortBindingEntity } from './ports/port-binding.entity';
import { PortBindingService } from './ports/port-binding.service';
import { PortEntity } from './ports/port.entity';
import { PortsController } from './ports/ports.controller';
import { PortsService } from './ports/ports.service';
import { NetworkRevisionEntity } from './revision/network-revision.entity';
import { RouterEntity } from './routers/router.entity';
import { RoutersController } from './routers/routers.controller';
import { RoutersService } from './routers/routers.service';
import { SubnetEntity } from './subnets/subnet.entity';
import { SubnetsController } from './subnets/subnets.controller';
import { SubnetsService } from './subnets/subnets.service';
import { NetworkChanges } from './sync/network-changes.service';
import { NetworkModelLoader } from './sync/network-model.loader';
import { NetworkResyncService } from './sync/network-resync.service';
import { NetworkStatusController } from './sync/network-status.controller';
import { NetworkSyncService } from './sync/network-sync.service';

/** Tenant networks (Neutron model), their compilation to per-host state and its push to the host agents. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      HostEntity,
      NetworkEntity,
      SubnetEntity,
      PortEntity,
      PortBindingEntity,
      RouterEntity,
      FloatingIpEntity,
      NetworkRevisionEntity,
    ]),
    AgentsModule,
  ],
  controllers: [NetworksController, SubnetsController, PortsController, RoutersController, FloatingIpsController, NetworkStatusController],
  providers: [
    NetworksService,
    SubnetsService,
    PortsService,
    PortBindingService,
    RoutersService,
    FloatingIpsService,
    NetworkModelLoader,
    NetworkSyncService,
    NetworkChanges,
    NetworkResyncService,
    NetworkFollowService,
    AgentHeartbeatService,
  ],
  exports: [NetworkFollowService, NetworkSyncService, PortBindingService],
})
export class NetworkModule {}
