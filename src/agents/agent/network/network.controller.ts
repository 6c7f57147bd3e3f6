import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { instanceToPlain } from 'class-transformer';
import {
  AGENT_ROUTES,
  AGENT_SUBROUTES,
  type AgentNetworkStatus,
  type ArmedSwitchoverReport,
  type FiredSwitchoverReport,
  type HostNetworkState,
  type NetworkApplyReport,
  switchoverIdProblem,
} from '../../protocol';
import { HostNetworkStateDto } from './host-network-state.dto';
import { NetworkService } from './network.service';
import { SwitchoverService } from './switchover.service';

function switchoverId(id: string): string {
  const problem = switchoverIdProblem(id);
  if (problem) throw new BadRequestException(problem);
  return id;
}

@ApiTags('network')
@ApiBearerAuth()
@Controller(AGENT_ROUTES.network)
export class NetworkController {
  constructor(
    private readonly network: NetworkService,
    private readonly switchovers: SwitchoverService,
  ) {}

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

  /** Plans the delta to the state after a switchover now, to run it later at once. */
  @Put(AGENT_SUBROUTES.switchover)
  @HttpCode(200)
  @ApiOkResponse({ description: 'ArmedSwitchoverReport' })
  arm(@Param('id') id: string, @Body() body: HostNetworkStateDto): Promise<ArmedSwitchoverReport> {
    return this.switchovers.arm(switchoverId(id), instanceToPlain(body) as HostNetworkState);
  }

  /** Runs the armed delta now; 404 when nothing is armed under the id. */
  @Post(AGENT_SUBROUTES.switchoverFire)
  @HttpCode(200)
  @ApiOkResponse({ description: 'FiredSwitchoverReport' })
  fire(@Param('id') id: string): Promise<FiredSwitchoverReport> {
    return this.switchovers.fire(switchoverId(id));
  }

  @Delete(AGENT_SUBROUTES.switchover)
  @HttpCode(204)
  disarm(@Param('id') id: string): void {
    this.switchovers.disarm(switchoverId(id));
  }
}
