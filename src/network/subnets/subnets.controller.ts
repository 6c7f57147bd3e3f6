import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiNetworkErrors } from '../api-network-errors.decorator';
import { NetworkChanges } from '../sync/network-changes.service';
import { SyncedDeletionDto } from '../sync/network-sync.dto';
import { CreateSubnetDto, SubnetChangeDto, SubnetDto, SubnetPageDto, SubnetQueryDto } from './subnet.dto';
import { SubnetsService } from './subnets.service';

@ApiTags('networks')
@ApiBearerAuth()
@ApiNetworkErrors()
@Controller('subnets')
export class SubnetsController {
  constructor(
    private readonly subnets: SubnetsService,
    private readonly changes: NetworkChanges,
  ) {}

  @Get()
  @ApiOkResponse({ type: SubnetPageDto })
  list(@Query() query: SubnetQueryDto) {
    return this.subnets.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: SubnetDto })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.subnets.get(id);
  }

  @Post()
  @ApiCreatedResponse({ type: SubnetChangeDto })
  create(@Body() dto: CreateSubnetDto) {
    return this.changes.synced(this.subnets.create(dto));
  }

  @Delete(':id')
  @ApiOkResponse({ type: SyncedDeletionDto })
  remove(@Param('id', ParseUUIDPipe) id: string) {
    return this.changes.deleted(id, this.subnets.remove(id));
  }
}
