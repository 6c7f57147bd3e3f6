import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Res, Sse, type MessageEvent } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Observable } from 'rxjs';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { DrainStream } from './drain-stream.service';
import { CancelDrainDto, DrainHostDto } from './drain.dto';
import { DrainDto, DrainPlanDto } from './drain-response.dto';
import { DrainsService } from './drains.service';

@ApiTags('drains')
@ApiBearerAuth()
@ApiErrors()
@Controller()
export class DrainsController {
  constructor(
    private readonly drains: DrainsService,
    private readonly stream: DrainStream,
  ) {}

  @Post('hosts/:id/drain')
  @ApiOkResponse({
    type: DrainPlanDto,
    description: 'dryRun: the plan (ordered moves with predicted time and downtime, makespan, unplaceable instances with reasons)',
  })
  @ApiAcceptedResponse({ type: DrainDto, description: 'the drain record; the host is in maintenance and moves run in the background' })
  async drain(@Param('id', ParseUUIDPipe) id: string, @Body() dto: DrainHostDto, @Res({ passthrough: true }) res: Response) {
    if (dto.dryRun) {
      res.status(200);
      return this.drains.plan(id, dto);
    }
    res.status(202);
    return this.drains.start(id, dto);
  }

  @Get('drains')
  @ApiOkResponse({ type: [DrainDto], description: 'recent drains, newest first (without moves)' })
  list() {
    return this.drains.list();
  }

  @Get('drains/:id')
  @ApiOkResponse({ type: DrainDto, description: 'the drain with every instance: destination, migration id, outcome, reason' })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.drains.get(id);
  }

  @Post('drains/:id/cancel')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: DrainDto, description: 'no new moves start; running ones finish, or are aborted with abortRunning' })
  cancel(@Param('id', ParseUUIDPipe) id: string, @Body() dto: CancelDrainDto) {
    return this.drains.cancel(id, dto);
  }

  @Sse('drains/:id/events')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'server-sent events: the drain first, then move and state changes; ends with the drain' })
  events(@Param('id', ParseUUIDPipe) id: string): Observable<MessageEvent> {
    return this.stream.of(id);
  }
}
