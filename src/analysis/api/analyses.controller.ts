import 'multer';
import { BadRequestException, Body, Controller, HttpCode, Post, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import type { AnalysisReport } from '../core/analysis-report';
import { AnalysesService } from './analyses.service';
import { AnalysisUploadDto } from './analysis-upload.dto';

/** Uploads per request; each is size-limited by the module's multer options (LIVEMIG_ANALYSIS_MAX_BYTES). */
const MAX_FILES = 8;

@ApiTags('analyses')
@ApiBearerAuth()
@ApiErrors()
@Controller('analyses')
export class AnalysesController {
  constructor(private readonly analyses: AnalysesService) {}

  @Post()
  @HttpCode(200)
  @Roles('operator', 'analyst')
  @UseInterceptors(FilesInterceptor('files', MAX_FILES))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['files'],
      properties: {
        files: {
          type: 'array',
          items: { type: 'string', format: 'binary' },
          description: 'pcap (µs or ns) or pcapng captures, merged by timestamp',
        },
        vmIp: { type: 'string' },
        migrationPorts: { type: 'string', example: '49152-49215' },
        probeIntervalMs: { type: 'number' },
        timelineMs: { type: 'number' },
      },
    },
  })
  @ApiOkResponse({ description: 'the analysis: migration streams, libvirt RPC, probe figures and the timeline' })
  async analyze(@UploadedFiles() files: Express.Multer.File[] | undefined, @Body() form: AnalysisUploadDto): Promise<AnalysisReport> {
    if (!files || files.length === 0)
      throw new BadRequestException({
        message: 'upload at least one capture in the "files" field',
        details: [{ field: 'files', errors: ['required'] }],
      });
    return this.analyses.analyze(files, form);
  }
}
