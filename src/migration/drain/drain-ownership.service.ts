import { Injectable } from '@nestjs/common';
import { SessionLocks, type ReleaseLock } from '../leader/session-locks.service';

/** Class id of drain ownership locks; the object id is hashtext(drain id). */
export const DRAIN_LOCK_CLASS = 7_356_003;

export type ReleaseOwnership = ReleaseLock;

/** Which controller runs a drain: the one holding its session lock (see SessionLocks). */
@Injectable()
export class DrainOwnership {
  constructor(private readonly locks: SessionLocks) {}

  claim(drainId: string): Promise<ReleaseOwnership | null> {
    return this.locks.claim(DRAIN_LOCK_CLASS, drainId);
  }
}
