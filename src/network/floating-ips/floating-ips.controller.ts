import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiNetworkErrors } from '../api-network-errors.decorator';
import { NetworkChanges } from '../sync/network-changes.service';
import { SyncedDeletionDto } from '../sync/network-sync.dto';
import {
  CreateFloatingIpDto,
  FloatingIpChangeDto,
  FloatingIpDto,
  FloatingIpPageDto,
  FloatingIpQueryDto,
  UpdateFloatingIpDto,
} from './floating-ip.dto';
import { FloatingIpsService } from './floating-ips.service';

@ApiTags('networks')
@ApiBearerAuth()
@ApiNetworkErrors()
@Controller('floating-ips')
export class FloatingIpsController {
  constructor(
    private readonly floatingIps: FloatingIpsService,
    private readonly changes: NetworkChanges,
  ) {}

  @Get()
  @ApiOkResponse({ type: FloatingIpPageDto })
  list(@Query() query: FloatingIpQueryDto) {
    return this.floatingIps.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: FloatingIpDto })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.floatingIps.get(id);
  }

  @Post()
  @ApiCreatedResponse({ type: FloatingIpChangeDto })
  create(@Body() dto: CreateFloatingIpDto) {
    return this.changes.synced(this.floatingIps.create(dto));
  }

  @Patch(':id')
  @ApiOkResponse({ type: FloatingIpChangeDto, description: 'associate (portId) or dissociate (null)' })
  associate(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateFloatingIpDto) {
    return this.changes.synced(this.floatingIps.associate(id, dto.portId));
  }

  @Delete(':id')
  @ApiOkResponse({ type: SyncedDeletionDto })
  remove(@Param('id', ParseUUIDPipe) id: string) {
    return this.changes.deleted(id, this.floatingIps.remove(id));
  }
}
