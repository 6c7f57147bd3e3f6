import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Sse, type MessageEvent } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import { ApiErrors } from '../common/http/api-errors.decorator';
import type { Page } from '../common/http/page';
import { CONVERGENCE_PRESETS } from './core';
import {
  ConvergencePresetDto,
  CreateMigrationDto,
  MigrationDto,
  MigrationPageDto,
  MigrationQueryDto,
  MigrationSampleDto,
  toMigrationResponse,
  type MigrationResponse,
} from './dto';
import { MigrationEventStreamService } from './migration-event-stream.service';
import { MigrationsService } from './migrations.service';

@ApiTags('migrations')
@ApiBearerAuth()
@ApiErrors()
@Controller()
export class MigrationsController {
  constructor(
    private readonly migrations: MigrationsService,
    private readonly eventStream: MigrationEventStreamService,
  ) {}

  @Post('migrations')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: MigrationDto, description: 'pre-checks passed; the migration is queued' })
  async create(@Body() dto: CreateMigrationDto): Promise<MigrationResponse> {
    return toMigrationResponse(await this.migrations.request(dto));
  }

  @Get('migrations')
  @ApiOkResponse({ type: MigrationPageDto })
  async list(@Query() query: MigrationQueryDto): Promise<Page<MigrationResponse>> {
    const page = await this.migrations.list(query);
    return { ...page, items: page.items.map(toMigrationResponse) };
  }

  @Get('migrations/:id')
  @ApiOkResponse({ type: MigrationDto })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<MigrationResponse> {
    return toMigrationResponse(await this.migrations.get(id));
  }

  @Get('migrations/:id/samples')
  @ApiOkResponse({ type: [MigrationSampleDto], description: 'job-stats timeline sampled on the source' })
  samples(@Param('id', ParseUUIDPipe) id: string) {
    return this.migrations.samplesOf(id);
  }

  @Sse('migrations/:id/events')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'server-sent events: phase, sample and convergence; ends after the terminal phase' })
  events(@Param('id', ParseUUIDPipe) id: string): Observable<MessageEvent> {
    return this.eventStream.eventsOf(id);
  }

  @Post('migrations/:id/abort')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: MigrationDto, description: 'abort requested; the guest stays on the source' })
  async abort(@Param('id', ParseUUIDPipe) id: string): Promise<MigrationResponse> {
    return toMigrationResponse(await this.migrations.abort(id));
  }

  @Get('migration-policies')
  @ApiOkResponse({ type: [ConvergencePresetDto], description: 'named convergence policies' })
  policies(): ConvergencePresetDto[] {
    return Object.entries(CONVERGENCE_PRESETS).map(([name, policy]) => ({ name, policy: { ...policy } }));
  }
}
