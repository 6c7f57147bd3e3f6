import { Controller, Get, Inject } from '@nestjs/common';
import { AGENT_ROUTES, type AgentHealth } from '../../protocol';
import { AGENT_CONFIG, type AgentConfig } from '../agent.config';

@Controller(AGENT_ROUTES.health)
export class HealthController {
  private readonly startedAtMs = Date.now();

  constructor(@Inject(AGENT_CONFIG) private readonly config: AgentConfig) {}

  @Get()
  health(): AgentHealth {
    return {
      host: this.config.host,
      version: this.config.version,
      uptimeSec: Math.round((Date.now() - this.startedAtMs) / 1000),
      time: new Date().toISOString(),
    };
  }
}
