import { Body, Controller, Delete, Get, HttpCode, Param, Post, StreamableFile } from '@nestjs/common';
import type { ProbeInfo } from '../../agent-api';
import { pcapStream } from '../pcap-file';
import { StartProbeDto } from './probe.dto';
import { ProbesService } from './probes.service';

@Controller('v1/probes')
export class ProbesController {
  constructor(private readonly probes: ProbesService) {}

  @Post()
  start(@Body() body: StartProbeDto): Promise<ProbeInfo> {
    return this.probes.start(body);
  }

  @Get(':id')
  get(@Param('id') id: string): ProbeInfo {
    return this.probes.get(id);
  }

  @Post(':id/stop')
  @HttpCode(200)
  stop(@Param('id') id: string): Promise<ProbeInfo> {
    return this.probes.stop(id);
  }

  @Get(':id/file')
  async file(@Param('id') id: string): Promise<StreamableFile> {
    return pcapStream(await this.probes.file(id), `probe-${id}.pcap`);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id') id: string): Promise<void> {
    return this.probes.remove(id);
  }
}
