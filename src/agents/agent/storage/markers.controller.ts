import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { AGENT_ROUTES, AGENT_SUBROUTES, type StorageMarker } from '../../protocol';
import { CreateMarkerDto, MarkerQueryDto } from './marker.dto';
import { MarkersService } from './markers.service';

@Controller(AGENT_ROUTES.markers)
export class MarkersController {
  constructor(private readonly markers: MarkersService) {}

  @Post()
  create(@Body() body: CreateMarkerDto): Promise<StorageMarker> {
    return this.markers.create(body.instancesPath);
  }

  @Get(AGENT_SUBROUTES.marker)
  read(@Param('id') id: string, @Query() query: MarkerQueryDto): Promise<StorageMarker> {
    return this.markers.read(id, query.instancesPath);
  }

  @Delete(AGENT_SUBROUTES.marker)
  @HttpCode(204)
  remove(@Param('id') id: string, @Query() query: MarkerQueryDto): Promise<void> {
    return this.markers.remove(id, query.instancesPath);
  }
}
