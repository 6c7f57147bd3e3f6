import { Body, Controller, Delete, Get, HttpCode, Param, Post, StreamableFile } from '@nestjs/common';
import { AGENT_ROUTES, AGENT_SUBROUTES, type ProbeInfo } from '../../protocol';
import { pcapStream } from '../pcap-file';
import { StartProbeDto } from './probe.dto';
import { ProbesService } from './probes.service';

@Controller(AGENT_ROUTES.probes)
export class ProbesController {
  constructor(private readonly probes: ProbesService) {}

  @Post()
  start(@Body() body: StartProbeDto): Promise<ProbeInfo> {
    return this.probes.start(body);
  }

  @Get(AGENT_SUBROUTES.session)
  get(@Param('id') id: string): ProbeInfo {
    return this.probes.get(id);
  }

  @Post(AGENT_SUBROUTES.sessionStop)
  @HttpCode(200)
  stop(@Param('id') id: string): Promise<ProbeInfo> {
    return this.probes.stop(id);
  }

  @Get(AGENT_SUBROUTES.sessionFile)
  async file(@Param('id') id: string): Promise<StreamableFile> {
    return pcapStream(await this.probes.file(id), `probe-${id}.pcap`);
  }

  @Delete(AGENT_SUBROUTES.session)
  @HttpCode(204)
  remove(@Param('id') id: string): Promise<void> {
    return this.probes.remove(id);
  }
}
