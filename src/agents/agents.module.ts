import { Module } from '@nestjs/common';
import { InventoryRepositoriesModule } from '../inventory/repositories/inventory-repositories.module';
import { createHttpAgentClient } from './client/http-agent.client';
import { AGENT_CLIENT_FACTORY, AgentDirectory } from './agent-directory.service';

/** The controller's side of the host agents: one client per host, with the host's own token. */
@Module({
  imports: [InventoryRepositoriesModule],
  providers: [{ provide: AGENT_CLIENT_FACTORY, useValue: createHttpAgentClient }, AgentDirectory],
  exports: [AgentDirectory, AGENT_CLIENT_FACTORY],
})
export class AgentsModule {}
