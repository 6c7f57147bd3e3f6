import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FloatingIpEntity } from '../floating-ips/floating-ip.entity';
import { NetworkEntity } from '../networks/network.entity';
import { PortBindingEntity } from '../ports/port-binding.entity';
import { PortEntity } from '../ports/port.entity';
import { NetworkRevisionEntity } from '../revision/network-revision.entity';
import { RouterEntity } from '../routers/router.entity';
import { SubnetEntity } from '../subnets/subnet.entity';
import { FloatingIpsRepository } from './floating-ips.repository';
import { NetworkRevisionRepository } from './network-revision.repository';
import { NetworkTransactions } from './network-transactions';
import { NetworksRepository } from './networks.repository';
import { PortsRepository } from './ports.repository';
import { RoutersRepository } from './routers.repository';
import { SubnetsRepository } from './subnets.repository';

const repositories = [
  NetworksRepository,
  SubnetsRepository,
  PortsRepository,
  RoutersRepository,
  FloatingIpsRepository,
  NetworkRevisionRepository,
  NetworkTransactions,
];

/** The network model's tables: networks, subnets, ports with bindings, routers, floating IPs, the revision. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      NetworkEntity,
      SubnetEntity,
      PortEntity,
      PortBindingEntity,
      RouterEntity,
      FloatingIpEntity,
      NetworkRevisionEntity,
    ]),
  ],
  providers: repositories,
  exports: repositories,
})
export class NetworkRepositoriesModule {}
