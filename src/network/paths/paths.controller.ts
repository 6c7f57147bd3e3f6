import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiNetworkErrors } from '../api-network-errors.decorator';
import { InstancePathsDto, PathsQueryDto } from './paths.dto';
import { PathsService } from './paths.service';

@ApiTags('networks')
@ApiBearerAuth()
@ApiNetworkErrors()
@Controller('paths')
export class PathsController {
  constructor(private readonly paths: PathsService) {}

  @Get()
  @ApiOkResponse({
    type: InstancePathsDto,
    description: "each peer's path class and hop-by-hop path now, and after a migration to `destination` when given",
  })
  forInstance(@Query() query: PathsQueryDto): Promise<InstancePathsDto> {
    return this.paths.forInstance(query.instance, query.destination);
  }
}
