import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { PageQueryDto } from '../../common/http/page';
import { CreateFlavorDto, FlavorDto, FlavorPageDto } from './flavor.dto';
import type { FlavorEntity } from './flavor.entity';
import { FlavorsService } from './flavors.service';

@ApiTags('flavors')
@ApiBearerAuth()
@ApiErrors()
@Controller('flavors')
export class FlavorsController {
  constructor(private readonly flavors: FlavorsService) {}

  @Get()
  @ApiOkResponse({ type: FlavorPageDto })
  list(@Query() query: PageQueryDto) {
    return this.flavors.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: FlavorDto })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<FlavorEntity> {
    return this.flavors.get(id);
  }

  @Post()
  @ApiCreatedResponse({ type: FlavorDto })
  create(@Body() dto: CreateFlavorDto): Promise<FlavorEntity> {
    return this.flavors.create(dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.flavors.remove(id);
  }
}
