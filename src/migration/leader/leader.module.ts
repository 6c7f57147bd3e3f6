import { Module } from '@nestjs/common';
import { LeaderElection } from './leader-election.service';
import { LIVEMIG_CONFIG, type LivemigConfig } from '../../config/livemig-config';
import { LEADER_OPTIONS, type LeaderOptions } from './leader-options';
import { SessionLocks } from './session-locks.service';
import { AdvisoryLocksRepository } from './repositories/advisory-locks.repository';

@Module({
  providers: [
    {
      provide: LEADER_OPTIONS,
      inject: [LIVEMIG_CONFIG],
      useFactory: (config: LivemigConfig): LeaderOptions => ({ retryIntervalMs: config.leaderRetryMs }),
    },
    AdvisoryLocksRepository,
    LeaderElection,
    SessionLocks,
  ],
  exports: [LeaderElection, LEADER_OPTIONS, SessionLocks],
})
export class LeaderModule {}
