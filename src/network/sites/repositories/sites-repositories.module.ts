import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NetworkExtensionEntity } from '../network-extension.entity';
import { SitePeerEntity } from '../site-peer.entity';
import { NetworkExtensionsRepository } from './network-extensions.repository';
import { SitePeersRepository } from './site-peers.repository';

const repositories = [SitePeersRepository, NetworkExtensionsRepository];

/** The interconnection's tables: site_peers and network_extensions. */
@Module({
  imports: [TypeOrmModule.forFeature([SitePeerEntity, NetworkExtensionEntity])],
  providers: repositories,
  exports: repositories,
})
export class SitesRepositoriesModule {}
