import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import type { StorageMarker } from '../../agent-api';
import { CreateMarkerDto, MarkerQueryDto } from './marker.dto';
import { MarkersService } from './markers.service';

@Controller('v1/storage/markers')
export class MarkersController {
  constructor(private readonly markers: MarkersService) {}

  @Post()
  create(@Body() body: CreateMarkerDto): Promise<StorageMarker> {
    return this.markers.create(body.instancesPath);
  }

  @Get(':id')
  read(@Param('id') id: string, @Query() query: MarkerQueryDto): Promise<StorageMarker> {
    return this.markers.read(id, query.instancesPath);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id') id: string, @Query() query: MarkerQueryDto): Promise<void> {
    return this.markers.remove(id, query.instancesPath);
  }
}
