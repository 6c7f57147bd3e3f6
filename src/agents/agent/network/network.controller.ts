import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { instanceToPlain } from 'class-transformer';
import { AGENT_ROUTES, AGENT_SUBROUTES, type AgentNetworkStatus, type HostNetworkState, type NetworkApplyReport } from '../../protocol';
import { HostNetworkStateDto } from './host-network-state.dto';
import { NetworkService } from './network.service';

@ApiTags('network')
@ApiBearerAuth()
@Controller(AGENT_ROUTES.network)
export class NetworkController {
  constructor(private readonly network: NetworkService) {}

  /** Makes this host's tenant network look like the body; 200 with what was found and done. */
  @Put()
  @HttpCode(200)
  @ApiOkResponse({ description: 'NetworkApplyReport' })
  apply(@Body() body: HostNetworkStateDto): Promise<NetworkApplyReport> {
    return this.network.apply(instanceToPlain(body) as HostNetworkState);
  }

  @Get()
  @ApiOkResponse({ description: 'AgentNetworkStatus' })
  status(): AgentNetworkStatus {
    return this.network.status();
  }

  /** Re-checks the host against the desired state now. */
  @Post(AGENT_SUBROUTES.networkReconcile)
  @HttpCode(200)
  @ApiOkResponse({ description: 'NetworkApplyReport' })
  reconcile(): Promise<NetworkApplyReport> {
    return this.network.reconcileNow();
  }
}
