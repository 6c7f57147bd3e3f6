import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { FlavorReportQueryDto } from './report.dto';
import { ReportsService } from './reports.service';

// Server-rendered markup runs no script and loads nothing: its inline styles are all it needs.
const CONTENT_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

@ApiTags('reports')
@ApiBearerAuth()
@ApiErrors()
@Controller()
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('migrations/:id/report')
  @ApiOkResponse({
    description: 'network-observed, hypervisor and pre-copy-model figures side by side, with the analysis detail and the prediction error',
  })
  migrationReport(@Param('id', ParseUUIDPipe) id: string) {
    return this.reports.migrationReport(id);
  }

  @Get('migrations/:id/report.svg')
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({
    description:
      'a self-contained SVG chart: migration throughput, probe RTTs, lost probes, the downtime window. 409 while the report is not ready',
  })
  async migrationChart(@Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    const svg = await this.reports.migrationChart(id);
    res.type('image/svg+xml').set('Content-Security-Policy', CONTENT_POLICY);
    return svg;
  }

  @Get('reports')
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'an HTML page for analysts: the per-flavor table and recent migration charts inline' })
  async reportPage(@Res({ passthrough: true }) res: Response): Promise<string> {
    const html = await this.reports.reportPage();
    res.type('text/html').set('Content-Security-Policy', CONTENT_POLICY);
    return html;
  }

  @Get('reports/flavors')
  @ApiProduces('application/json', 'text/csv', 'text/plain')
  @ApiOkResponse({ description: 'per flavor: n, then mean, p50, p95 and max of each figure, over completed migrations' })
  async flavors(@Query() query: FlavorReportQueryDto, @Res({ passthrough: true }) res: Response) {
    const report = await this.reports.flavorReport(query);
    if (report.contentType) res.type(report.contentType);
    return report.body;
  }
}
