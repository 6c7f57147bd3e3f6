import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiNetworkErrors } from '../api-network-errors.decorator';
import { NetworkChanges } from '../sync/network-changes.service';
import { SyncedDeletionDto } from '../sync/network-sync.dto';
import {
  CreateBindingDto,
  CreatePortDto,
  PortBindingChangeDto,
  PortBindingDto,
  PortBindingParamsDto,
  PortChangeDto,
  PortDto,
  PortPageDto,
  PortQueryDto,
} from './port.dto';
import { PortBindingService } from './port-binding.service';
import { PortsService } from './ports.service';

@ApiTags('networks')
@ApiBearerAuth()
@ApiNetworkErrors()
@Controller('ports')
export class PortsController {
  constructor(
    private readonly ports: PortsService,
    private readonly bindings: PortBindingService,
    private readonly changes: NetworkChanges,
  ) {}

  @Get()
  @ApiOkResponse({ type: PortPageDto })
  list(@Query() query: PortQueryDto) {
    return this.ports.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: PortDto })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.ports.get(id);
  }

  @Post()
  @ApiCreatedResponse({ type: PortChangeDto, description: 'with `host`, the port gets an ACTIVE binding there' })
  create(@Body() dto: CreatePortDto) {
    return this.changes.synced(this.ports.create(dto));
  }

  @Delete(':id')
  @ApiOkResponse({ type: SyncedDeletionDto })
  remove(@Param('id', ParseUUIDPipe) id: string) {
    return this.changes.deleted(id, this.ports.remove(id));
  }

  @Get(':id/bindings')
  @ApiOkResponse({ type: [PortBindingDto] })
  listBindings(@Param('id', ParseUUIDPipe) id: string) {
    return this.bindings.list(id);
  }

  @Post(':id/bindings')
  @ApiCreatedResponse({ type: PortBindingChangeDto, description: 'an INACTIVE binding (a pre-plugged destination)' })
  createBinding(@Param('id', ParseUUIDPipe) id: string, @Body() dto: CreateBindingDto) {
    return this.changes.synced(this.bindings.create(id, dto.host));
  }

  @Put(':id/bindings/:host/activate')
  @ApiOkResponse({ type: PortBindingChangeDto, description: 'this binding becomes ACTIVE, the previously ACTIVE one INACTIVE' })
  activateBinding(@Param() params: PortBindingParamsDto) {
    return this.changes.synced(this.bindings.activate(params.id, params.host));
  }

  @Delete(':id/bindings/:host')
  @ApiOkResponse({ type: SyncedDeletionDto })
  removeBinding(@Param() params: PortBindingParamsDto) {
    return this.changes.deleted(params.id, this.bindings.remove(params.id, params.host));
  }
}
