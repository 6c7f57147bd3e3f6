import { Module } from '@nestjs/common';
import { LIVEMIG_CONFIG, type LivemigConfig } from '../config/livemig-config';
import { InventoryRepositoriesModule } from '../inventory/repositories/inventory-repositories.module';
import { httpAgentClientFactory } from './client/http-agent.client';
import { AGENT_CLIENT_FACTORY, AgentDirectory } from './agent-directory.service';

/** The controller's side of the host agents: one client per host, with the host's own token, over TLS when configured. */
@Module({
  imports: [InventoryRepositoriesModule],
  providers: [
    {
      provide: AGENT_CLIENT_FACTORY,
      inject: [LIVEMIG_CONFIG],
      useFactory: (config: LivemigConfig) => httpAgentClientFactory(config.agentTls),
    },
    AgentDirectory,
  ],
  exports: [AgentDirectory, AGENT_CLIENT_FACTORY],
})
export class AgentsModule {}
