import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../../auth/auth.decorators';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import type { AnalysisReport } from '../core/analysis-report';
import { AnalysesService } from './analyses.service';

@ApiTags('analyses')
@ApiBearerAuth()
@ApiErrors()
@Controller('analyses')
export class AnalysesController {
  constructor(private readonly analyses: AnalysesService) {}

  // The body is read by the service (spooled to disk, then validated as AnalysisUploadDto), not by a parser here.
  @Post()
  @HttpCode(200)
  @Roles('operator', 'analyst')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['files'],
      properties: {
        files: {
          type: 'array',
          items: { type: 'string', format: 'binary' },
          maxItems: 8,
          description: 'pcap (µs or ns) or pcapng captures, merged by timestamp; LIVEMIG_ANALYSIS_MAX_BYTES in all',
        },
        vmIp: { type: 'string' },
        migrationPorts: { type: 'string', example: '49152-49215' },
        probeIntervalMs: { type: 'number' },
        timelineMs: { type: 'number' },
      },
    },
  })
  @ApiOkResponse({ description: 'the analysis: migration streams, libvirt RPC, probe figures and the timeline' })
  analyze(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AnalysisReport> {
    return this.analyses.analyzeUpload({ body: req, closeConnection: () => res.setHeader('Connection', 'close') });
  }
}
