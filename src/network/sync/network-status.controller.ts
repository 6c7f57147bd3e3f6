import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorDto } from '../../common/http/api-error';
import { ApiNetworkErrors } from '../api-network-errors.decorator';
import type { HostNetworkState, NetworkApplyReport } from '../../agents/protocol';
import { HostRefParamDto } from './host-ref.dto';
import { NetworkSyncReportDto } from './network-sync.dto';
import type { NetworkSyncReport } from './network-sync-report';
import { NetworkSyncService } from './network-sync.service';
import { HostNetworkStatusDto } from './network-status.dto';
import { NetworkStatusService } from './network-status.service';

@ApiTags('networks')
@ApiBearerAuth()
@ApiNetworkErrors()
@Controller('network')
export class NetworkStatusController {
  constructor(
    private readonly hostNetworks: NetworkStatusService,
    private readonly sync: NetworkSyncService,
  ) {}

  @Get('hosts/:host/status')
  @ApiOkResponse({ type: HostNetworkStatusDto })
  @ApiResponse({ status: 502, type: ApiErrorDto, description: "the host's agent did not answer" })
  status(@Param() params: HostRefParamDto): Promise<HostNetworkStatusDto> {
    return this.hostNetworks.status(params.host);
  }

  @Post('hosts/:host/reconcile')
  @HttpCode(200)
  @ApiOkResponse({ description: "the agent's NetworkApplyReport: the drift it found against the state it holds, and what it ran" })
  @ApiResponse({ status: 502, type: ApiErrorDto, description: "the host's agent did not answer or refused" })
  reconcile(@Param() params: HostRefParamDto): Promise<NetworkApplyReport> {
    return this.hostNetworks.reconcile(params.host);
  }

  @Get('hosts/:host/desired-state')
  @ApiOkResponse({ description: 'the HostNetworkState the controller pushes to this host' })
  desiredState(@Param() params: HostRefParamDto): Promise<HostNetworkState> {
    return this.hostNetworks.desiredState(params.host);
  }

  @Post('sync')
  @HttpCode(200)
  @ApiOkResponse({ type: NetworkSyncReportDto, description: 'pushes the current state to every host with an agent and a VTEP' })
  syncNow(): Promise<NetworkSyncReport> {
    return this.sync.syncAll();
  }

  @Post('takeover')
  @HttpCode(200)
  @ApiOkResponse({
    type: NetworkSyncReportDto,
    description:
      "takes over hosts whose agent holds another controller database's network state (it refuses pushes until then): " +
      'they get this database’s state, at a revision above every one they hold',
  })
  takeOver(): Promise<NetworkSyncReport> {
    return this.sync.takeOver();
  }
}
