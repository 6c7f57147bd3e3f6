import { BadRequestException, Controller, Get, Param } from '@nestjs/common';
import type { MigrationLinkInfo } from '../../agent-api';
import { checkInterfaceName } from '../../../common/names';
import { LinksService } from './links.service';

@Controller('v1/links')
export class LinksController {
  constructor(private readonly links: LinksService) {}

  @Get(':interface')
  link(@Param('interface') name: string): Promise<MigrationLinkInfo> {
    const check = checkInterfaceName(name);
    if (!check.ok) throw new BadRequestException(check.reason);
    return this.links.link(name);
  }
}
