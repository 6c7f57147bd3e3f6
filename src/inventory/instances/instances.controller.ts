import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { CreateInstanceDto, InstanceDto, InstancePageDto, InstanceQueryDto, UpdateInstanceDto } from './instance.dto';
import type { InstanceEntity } from './instance.entity';
import { InstancesService } from './instances.service';

@ApiTags('instances')
@ApiBearerAuth()
@ApiErrors()
@Controller('instances')
export class InstancesController {
  constructor(private readonly instances: InstancesService) {}

  @Get()
  @ApiOkResponse({ type: InstancePageDto })
  list(@Query() query: InstanceQueryDto) {
    return this.instances.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: InstanceDto })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<InstanceEntity> {
    return this.instances.get(id);
  }

  @Post()
  @ApiCreatedResponse({ type: InstanceDto })
  create(@Body() dto: CreateInstanceDto): Promise<InstanceEntity> {
    return this.instances.create(dto);
  }

  @Patch(':id')
  @ApiOkResponse({ type: InstanceDto })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateInstanceDto): Promise<InstanceEntity> {
    return this.instances.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.instances.remove(id);
  }
}
