import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiNetworkErrors } from '../api-network-errors.decorator';
import { NetworkChanges } from '../sync/network-changes.service';
import { SyncedDeletionDto } from '../sync/network-sync.dto';
import {
  CreateRouterDto,
  RouterChangeDto,
  RouterDto,
  RouterInterfaceDto,
  RouterPageDto,
  RouterQueryDto,
  UpdateRouterDto,
} from './router.dto';
import { RoutersService } from './routers.service';

@ApiTags('networks')
@ApiBearerAuth()
@ApiNetworkErrors()
@Controller('routers')
export class RoutersController {
  constructor(
    private readonly routers: RoutersService,
    private readonly changes: NetworkChanges,
  ) {}

  @Get()
  @ApiOkResponse({ type: RouterPageDto })
  list(@Query() query: RouterQueryDto) {
    return this.routers.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: RouterDto })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.routers.get(id);
  }

  @Post()
  @ApiCreatedResponse({ type: RouterChangeDto })
  create(@Body() dto: CreateRouterDto) {
    return this.changes.synced(this.routers.create(dto));
  }

  @Patch(':id')
  @ApiOkResponse({ type: RouterChangeDto })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateRouterDto) {
    return this.changes.synced(this.routers.update(id, dto));
  }

  @Delete(':id')
  @ApiOkResponse({ type: SyncedDeletionDto })
  remove(@Param('id', ParseUUIDPipe) id: string) {
    return this.changes.deleted(id, this.routers.remove(id));
  }

  @Post(':id/interfaces')
  @ApiCreatedResponse({ type: RouterChangeDto, description: "a router_interface port on the subnet, with the subnet's gateway IP" })
  addInterface(@Param('id', ParseUUIDPipe) id: string, @Body() dto: RouterInterfaceDto) {
    return this.changes.synced(this.routers.addInterface(id, dto.subnetId));
  }

  @Delete(':id/interfaces/:subnetId')
  @ApiOkResponse({ type: RouterChangeDto })
  removeInterface(@Param('id', ParseUUIDPipe) id: string, @Param('subnetId', ParseUUIDPipe) subnetId: string) {
    return this.changes.synced(this.routers.removeInterface(id, subnetId));
  }
}
