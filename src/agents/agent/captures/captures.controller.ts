import { Body, Controller, Delete, Get, HttpCode, Param, Post, StreamableFile } from '@nestjs/common';
import { AGENT_ROUTES, AGENT_SUBROUTES, type CaptureInfo } from '../../protocol';
import { pcapStream } from '../pcap-file';
import { StartCaptureDto } from './capture.dto';
import { CapturesService } from './captures.service';

@Controller(AGENT_ROUTES.captures)
export class CapturesController {
  constructor(private readonly captures: CapturesService) {}

  @Post()
  start(@Body() body: StartCaptureDto): Promise<CaptureInfo> {
    return this.captures.start(body);
  }

  @Get(AGENT_SUBROUTES.session)
  get(@Param('id') id: string): CaptureInfo {
    return this.captures.get(id);
  }

  @Post(AGENT_SUBROUTES.sessionStop)
  @HttpCode(200)
  stop(@Param('id') id: string): Promise<CaptureInfo> {
    return this.captures.stop(id);
  }

  @Get(AGENT_SUBROUTES.sessionFile)
  async file(@Param('id') id: string): Promise<StreamableFile> {
    return pcapStream(await this.captures.file(id), `capture-${id}.pcap`);
  }

  @Delete(AGENT_SUBROUTES.session)
  @HttpCode(204)
  remove(@Param('id') id: string): Promise<void> {
    return this.captures.remove(id);
  }
}
