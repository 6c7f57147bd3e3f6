import 'multer';
import {
  BadRequestException,
  Controller,
  HttpCode,
  Post,
  UnprocessableEntityException,
  UploadedFiles,
  UseInterceptors,
  Body,
} from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { rm } from 'node:fs/promises';
import { AnalysisOptionsError, analyzeCaptures, CaptureFormatError } from '..';
import { Roles } from '../../auth/auth.decorators';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { AnalysisUploadDto } from './analysis-upload.dto';

/** Uploads per request; each is size-limited by the module's multer options. */
const MAX_FILES = 8;

@ApiTags('analyses')
@ApiBearerAuth()
@ApiErrors()
@Controller('analyses')
export class AnalysesController {
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
  async analyze(@UploadedFiles() files: Express.Multer.File[] | undefined, @Body() form: AnalysisUploadDto) {
    if (!files || files.length === 0)
      throw new BadRequestException({
        message: 'upload at least one capture in the "files" field',
        details: [{ field: 'files', errors: ['required'] }],
      });
    try {
      const ports = form.migrationPorts?.split('-').map(Number);
      return await analyzeCaptures(
        files.map((f) => f.path),
        {
          vmIp: form.vmIp,
          probeIntervalMs: form.probeIntervalMs,
          timelineMs: form.timelineMs,
          ...(ports ? { migrationPorts: { from: ports[0], to: ports[1] } } : {}),
        },
      );
    } catch (err) {
      if (err instanceof CaptureFormatError) {
        const file = files.find((f) => f.path === err.file)?.originalname ?? err.file;
        throw new UnprocessableEntityException({
          message: `${file}: ${err.reason} at byte offset ${err.offset}`,
          details: { file, offset: err.offset, reason: err.reason },
        });
      }
      if (err instanceof AnalysisOptionsError) throw new BadRequestException({ message: err.message, details: null });
      throw err;
    } finally {
      await Promise.all(files.map((f) => rm(f.path, { force: true })));
    }
  }
}
