import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HostEntity } from '../inventory/hosts/host.entity';
import { createHttpAgentClient } from './client/http-agent.client';
import { AGENT_CLIENT_FACTORY, AgentDirectory } from './agent-directory.service';

/** The controller's side of the host agents: one client per host, with the host's own token. */
@Module({
  imports: [TypeOrmModule.forFeature([HostEntity])],
  providers: [{ provide: AGENT_CLIENT_FACTORY, useValue: createHttpAgentClient }, AgentDirectory],
  exports: [AgentDirectory, AGENT_CLIENT_FACTORY],
})
export class AgentsModule {}
