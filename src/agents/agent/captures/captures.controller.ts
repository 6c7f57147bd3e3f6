import { Body, Controller, Delete, Get, HttpCode, Param, Post, StreamableFile } from '@nestjs/common';
import type { CaptureInfo } from '../../agent-api';
import { pcapStream } from '../pcap-file';
import { StartCaptureDto } from './capture.dto';
import { CapturesService } from './captures.service';

@Controller('v1/captures')
export class CapturesController {
  constructor(private readonly captures: CapturesService) {}

  @Post()
  start(@Body() body: StartCaptureDto): Promise<CaptureInfo> {
    return this.captures.start(body);
  }

  @Get(':id')
  get(@Param('id') id: string): CaptureInfo {
    return this.captures.get(id);
  }

  @Post(':id/stop')
  @HttpCode(200)
  stop(@Param('id') id: string): Promise<CaptureInfo> {
    return this.captures.stop(id);
  }

  @Get(':id/file')
  async file(@Param('id') id: string): Promise<StreamableFile> {
    return pcapStream(await this.captures.file(id), `capture-${id}.pcap`);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id') id: string): Promise<void> {
    return this.captures.remove(id);
  }
}
