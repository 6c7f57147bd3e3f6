import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HostsRepository } from '../repositories/hosts.repository';

/** Rows written before agent tokens were sealed get sealed once at start. */
@Injectable()
export class SealAgentTokensService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Secrets');

  constructor(private readonly hosts: HostsRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    const sealed = await this.hosts.sealPlainAgentTokens();
    if (sealed > 0) this.logger.log(`sealed ${sealed} agent token(s) stored in plain text`);
  }
}
