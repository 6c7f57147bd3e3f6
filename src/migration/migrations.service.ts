import { Injectable } from '@nestjs/common';
import type { Page } from '../common/http/page';
import type { CreateMigrationDto, MigrationQueryDto } from './dto';
import { MigrationAbortService } from './migration-abort.service';
import { MigrationReadsService, type MigrationView } from './migration-reads.service';
import { MigrationRequestService } from './migration-request.service';
import type { MigrationSampleEntity } from './records/migration-sample.entity';

export type { MigrationView } from './migration-reads.service';
export { DEFAULT_POLICY, resolvePolicy } from './resolve-policy';

/** The migration API's use cases in one place for the workflows (drain, rebalance): each delegates to its own service. */
@Injectable()
export class MigrationsService {
  constructor(
    private readonly requests: MigrationRequestService,
    private readonly reads: MigrationReadsService,
    private readonly aborts: MigrationAbortService,
  ) {}

  request(dto: CreateMigrationDto): Promise<MigrationView> {
    return this.requests.request(dto);
  }

  list(query: MigrationQueryDto): Promise<Page<MigrationView>> {
    return this.reads.list(query);
  }

  get(id: string): Promise<MigrationView> {
    return this.reads.get(id);
  }

  samplesOf(id: string): Promise<MigrationSampleEntity[]> {
    return this.reads.samplesOf(id);
  }

  abort(id: string): Promise<MigrationView> {
    return this.aborts.abort(id);
  }
}
