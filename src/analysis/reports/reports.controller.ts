import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { flavorCsv, formatFlavorTable, formatTable3 } from './flavor-table';
import { FlavorReportQueryDto } from './report.dto';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@ApiBearerAuth()
@ApiErrors()
@Controller()
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('migrations/:id/report')
  @ApiOkResponse({ description: 'network-observed and hypervisor figures side by side, with the analysis detail' })
  migrationReport(@Param('id', ParseUUIDPipe) id: string) {
    return this.reports.migrationReport(id);
  }

  @Get('reports/flavors')
  @ApiProduces('application/json', 'text/csv', 'text/plain')
  @ApiOkResponse({ description: 'per flavor: n, then mean, p50, p95 and max of each figure, over completed migrations' })
  async flavors(@Query() query: FlavorReportQueryDto, @Res({ passthrough: true }) res: Response) {
    const rows = await this.reports.flavorAggregates(query);
    switch (query.format ?? 'json') {
      case 'csv':
        res.type('text/csv');
        return flavorCsv(rows);
      case 'table':
        res.type('text/plain');
        return formatFlavorTable(rows);
      case 'table3':
        res.type('text/plain');
        return formatTable3(rows);
      default:
        return { flavors: rows };
    }
  }
}
