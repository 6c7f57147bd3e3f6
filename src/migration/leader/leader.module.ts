import { Global, Module } from '@nestjs/common';
import { LEADERSHIP } from '../../common/leadership';
import { LeaderElection } from './leader-election.service';
import { LIVEMIG_CONFIG, type LivemigConfig } from '../../config/livemig-config';
import { LEADER_OPTIONS, type LeaderOptions } from './leader-options';
import { SessionLocks } from './session-locks.service';
import { AdvisoryLocksRepository } from './repositories/advisory-locks.repository';

/** Global so lower modules (the network's heartbeat and resync) can ask for LEADERSHIP without importing migration/. */
@Global()
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
    { provide: LEADERSHIP, useExisting: LeaderElection },
  ],
  exports: [LeaderElection, LEADER_OPTIONS, SessionLocks, LEADERSHIP],
})
export class LeaderModule {}
