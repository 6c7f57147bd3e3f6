import {
  BadGatewayException,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  UnprocessableEntityException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type Repository } from 'typeorm';
import { AgentDirectory } from '../../agents/agent-directory.service';
import { ApiErrorDto } from '../../common/http/api-error';
import { HostEntity } from '../../inventory/hosts/host.entity';
import { ApiNetworkErrors } from '../api-network-errors.decorator';
import { MissingFipGatewayError } from '../core/compile-host-state';
import type { HostNetworkState, NetworkApplyReport } from '../../agents/protocol';
import { resolveHost } from '../ports/resolve-host';
import { readNetworkRevision } from '../revision/bump-revision';
import { NetworkSyncReportDto } from './network-sync.dto';
import type { NetworkSyncReport } from './network-sync-report';
import { NetworkSyncService } from './network-sync.service';
import { HostNetworkStatusDto } from './network-status.dto';

@ApiTags('networks')
@ApiBearerAuth()
@ApiNetworkErrors()
@Controller('network')
export class NetworkStatusController {
  constructor(
    private readonly sync: NetworkSyncService,
    private readonly agents: AgentDirectory,
    @InjectRepository(HostEntity) private readonly hosts: Repository<HostEntity>,
    private readonly dataSource: DataSource,
  ) {}

  @Get('hosts/:host/status')
  @ApiOkResponse({ type: HostNetworkStatusDto })
  @ApiResponse({ status: 502, type: ApiErrorDto, description: "the host's agent did not answer" })
  async status(@Param('host') ref: string): Promise<HostNetworkStatusDto> {
    const host = await resolveHost(this.hosts, ref);
    const desiredRevision = await readNetworkRevision(this.dataSource.manager);
    try {
      const agent = await (await this.agents.clientFor(host.id)).networkStatus();
      const appliedRevision = agent.lastApply?.revision ?? null;
      return { host: host.name, desiredRevision, appliedRevision, inSync: appliedRevision === desiredRevision, agent };
    } catch (err) {
      throw new BadGatewayException({
        message: `the agent on ${host.name} did not answer: ${err instanceof Error ? err.message : String(err)}`,
        details: { host: host.name },
      });
    }
  }

  @Post('hosts/:host/reconcile')
  @HttpCode(200)
  @ApiOkResponse({ description: "the agent's NetworkApplyReport: the drift it found against the state it holds, and what it ran" })
  @ApiResponse({ status: 502, type: ApiErrorDto, description: "the host's agent did not answer or refused" })
  async reconcile(@Param('host') ref: string): Promise<NetworkApplyReport> {
    const host = await resolveHost(this.hosts, ref);
    try {
      return await (await this.agents.clientFor(host.id)).reconcileNetwork();
    } catch (err) {
      throw new BadGatewayException({
        message: `the agent on ${host.name} could not reconcile: ${err instanceof Error ? err.message : String(err)}`,
        details: { host: host.name },
      });
    }
  }

  @Get('hosts/:host/desired-state')
  @ApiOkResponse({ description: 'the HostNetworkState the controller pushes to this host' })
  async desiredState(@Param('host') ref: string): Promise<HostNetworkState> {
    const host = await resolveHost(this.hosts, ref);
    try {
      return await this.sync.desiredState(host.id);
    } catch (err) {
      if (err instanceof MissingFipGatewayError)
        throw new ConflictException({ message: `${err.message}; the next sync allocates it`, details: { host: host.name } });
      if (err instanceof RangeError) throw new UnprocessableEntityException({ message: err.message, details: { host: host.name } });
      throw err;
    }
  }

  @Post('sync')
  @HttpCode(200)
  @ApiOkResponse({ type: NetworkSyncReportDto, description: 'pushes the current state to every host with an agent and a VTEP' })
  syncNow(): Promise<NetworkSyncReport> {
    return this.sync.syncAll();
  }
}
