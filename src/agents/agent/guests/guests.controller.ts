import { BadRequestException, Controller, Get, Param, ParseIntPipe, Query } from '@nestjs/common';
import { AGENT_ROUTES, AGENT_SUBROUTES, type GuestMemoryInfo } from '../../protocol';
import { checkDomainName } from '../../../common/names';
import { GuestsService } from './guests.service';

@Controller(AGENT_ROUTES.guests)
export class GuestsController {
  constructor(private readonly guests: GuestsService) {}

  @Get(AGENT_SUBROUTES.guestMemory)
  memory(@Param('domain') domain: string, @Query('ramMiB', ParseIntPipe) ramMiB: number): Promise<GuestMemoryInfo> {
    const check = checkDomainName(domain);
    if (!check.ok) throw new BadRequestException(check.reason);
    if (!(ramMiB > 0 && ramMiB <= 16 * 1024 * 1024)) throw new BadRequestException('ramMiB must be a positive number of MiB');
    return this.guests.memory(domain, ramMiB);
  }
}
