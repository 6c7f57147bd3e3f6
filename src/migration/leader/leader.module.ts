import { Module } from '@nestjs/common';
import { LeaderElection } from './leader-election.service';
import { LEADER_OPTIONS, leaderOptionsFrom } from './leader-options';
import { SessionLocks } from './session-locks.service';

@Module({
  providers: [
    // Read when the app is built, like the rest of the configuration.
    { provide: LEADER_OPTIONS, useFactory: () => leaderOptionsFrom(process.env.LIVEMIG_LEADER_RETRY_MS) },
    LeaderElection,
    SessionLocks,
  ],
  exports: [LeaderElection, LEADER_OPTIONS, SessionLocks],
})
export class LeaderModule {}
