import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { instanceToPlain } from 'class-transformer';
import type { AgentNetworkStatus, HostNetworkState, NetworkApplyReport } from '../../../network/core/host-network-state';
import { HostNetworkStateDto } from './host-network-state.dto';
import { NetworkService } from './network.service';

@ApiTags('network')
@ApiBearerAuth()
@Controller('v1/network')
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
  @Post('reconcile')
  @HttpCode(200)
  @ApiOkResponse({ description: 'NetworkApplyReport' })
  reconcile(): Promise<NetworkApplyReport> {
    return this.network.reconcileNow();
  }
}
