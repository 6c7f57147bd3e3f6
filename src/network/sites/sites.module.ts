import { Module } from '@nestjs/common';
import { NetworkModule } from '../network.module';
import { NetworkRepositoriesModule } from '../repositories/network-repositories.module';
import { NetworkExtensionsService } from './network-extensions.service';
import { SitesRepositoriesModule } from './repositories/sites-repositories.module';
import { SitePeersController } from './site-peers.controller';
import { SitePeersService } from './site-peers.service';

/** Cross-site interconnection: site peers with their link policy, tenant networks stretched to them within the MTU budget. */
@Module({
  imports: [SitesRepositoriesModule, NetworkRepositoriesModule, NetworkModule],
  controllers: [SitePeersController],
  providers: [SitePeersService, NetworkExtensionsService],
})
export class SitesModule {}
