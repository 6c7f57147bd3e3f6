import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators';
import { ApiNetworkErrors } from '../api-network-errors.decorator';
import { NetworkExtensionsService } from './network-extensions.service';
import {
  CreateSitePeerDto,
  ExpandNetworkDto,
  MtuBudgetDto,
  MtuBudgetQueryDto,
  NetworkExtensionDto,
  SitePeerDto,
  SitePeerPageDto,
  SitePeerQueryDto,
  UpdateSitePeerDto,
} from './site-peer.dto';
import { SitePeersService } from './site-peers.service';

/** Site peers (administrators) and the networks stretched to them (operators). */
@ApiTags('sites')
@ApiBearerAuth()
@ApiNetworkErrors()
@Controller('site-peers')
export class SitePeersController {
  constructor(
    private readonly peers: SitePeersService,
    private readonly extensions: NetworkExtensionsService,
  ) {}

  @Get()
  @ApiOkResponse({ type: SitePeerPageDto })
  list(@Query() query: SitePeerQueryDto) {
    return this.peers.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: SitePeerDto })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.peers.get(id);
  }

  @Get(':id/mtu-budget')
  @ApiOkResponse({ type: MtuBudgetDto, description: 'per layer, for a network stretched over the link' })
  budget(@Param('id', ParseUUIDPipe) id: string, @Query() query: MtuBudgetQueryDto) {
    return this.peers.budget(id, query.innerVlanTag === 'true');
  }

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: SitePeerDto })
  create(@Body() dto: CreateSitePeerDto) {
    return this.peers.create(dto);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOkResponse({ type: SitePeerDto, description: '409 when a stretched network would no longer fit the budget' })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateSitePeerDto) {
    return this.peers.update(id, dto);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.peers.remove(id);
  }

  @Get(':id/networks')
  @ApiOkResponse({ type: [NetworkExtensionDto] })
  networks(@Param('id', ParseUUIDPipe) id: string) {
    return this.extensions.list(id);
  }

  @Post(':id/networks')
  @ApiCreatedResponse({ type: NetworkExtensionDto, description: "422 when the network's MTU is above the link's budget" })
  expand(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ExpandNetworkDto) {
    return this.extensions.expand(id, dto);
  }

  @Delete(':id/networks/:networkId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async withdraw(@Param('id', ParseUUIDPipe) id: string, @Param('networkId', ParseUUIDPipe) networkId: string): Promise<void> {
    await this.extensions.withdraw(id, networkId);
  }
}
