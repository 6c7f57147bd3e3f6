import { BadRequestException, Controller, Get, Param } from '@nestjs/common';
import { AGENT_ROUTES, AGENT_SUBROUTES, type MigrationLinkInfo } from '../../protocol';
import { checkInterfaceName } from '../../../common/names';
import { LinksService } from './links.service';

@Controller(AGENT_ROUTES.links)
export class LinksController {
  constructor(private readonly links: LinksService) {}

  @Get(AGENT_SUBROUTES.link)
  link(@Param('interface') name: string): Promise<MigrationLinkInfo> {
    const check = checkInterfaceName(name);
    if (!check.ok) throw new BadRequestException(check.reason);
    return this.links.link(name);
  }
}
