import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { CreateHostDto, HostDto, HostPageDto, HostQueryDto, UpdateHostDto } from './host.dto';
import type { HostEntity } from './host.entity';
import { HostsService } from './hosts.service';

@ApiTags('hosts')
@ApiBearerAuth()
@ApiErrors()
@Controller('hosts')
export class HostsController {
  constructor(private readonly hosts: HostsService) {}

  @Get()
  @ApiOkResponse({ type: HostPageDto })
  list(@Query() query: HostQueryDto) {
    return this.hosts.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: HostDto })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<HostEntity> {
    return this.hosts.get(id);
  }

  @Post()
  @ApiCreatedResponse({ type: HostDto })
  create(@Body() dto: CreateHostDto): Promise<HostEntity> {
    return this.hosts.create(dto);
  }

  @Patch(':id')
  @ApiOkResponse({ type: HostDto })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateHostDto): Promise<HostEntity> {
    return this.hosts.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.hosts.remove(id);
  }
}
