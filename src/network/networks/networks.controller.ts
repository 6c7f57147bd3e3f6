import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from '../../common/http/page';
import { ApiNetworkErrors } from '../api-network-errors.decorator';
import { NetworkChanges } from '../sync/network-changes.service';
import { SyncedDeletionDto } from '../sync/network-sync.dto';
import { CreateNetworkDto, NetworkChangeDto, NetworkDto, NetworkPageDto, UpdateNetworkDto } from './network.dto';
import { NetworksService } from './networks.service';

@ApiTags('networks')
@ApiBearerAuth()
@ApiNetworkErrors()
@Controller('networks')
export class NetworksController {
  constructor(
    private readonly networks: NetworksService,
    private readonly changes: NetworkChanges,
  ) {}

  @Get()
  @ApiOkResponse({ type: NetworkPageDto })
  list(@Query() query: PageQueryDto) {
    return this.networks.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: NetworkDto })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.networks.get(id);
  }

  @Post()
  @ApiCreatedResponse({ type: NetworkChangeDto })
  create(@Body() dto: CreateNetworkDto) {
    return this.changes.synced(this.networks.create(dto));
  }

  @Patch(':id')
  @ApiOkResponse({ type: NetworkChangeDto })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateNetworkDto) {
    return this.changes.synced(this.networks.update(id, dto));
  }

  @Delete(':id')
  @ApiOkResponse({ type: SyncedDeletionDto })
  remove(@Param('id', ParseUUIDPipe) id: string) {
    return this.changes.deleted(id, this.networks.remove(id));
  }
}
