import type { CaptureSession } from '../../capture/migration-capture.service';
import type { FlavorEntity } from '../../inventory/flavors/flavor.entity';
import type { HostEntity } from '../../inventory/hosts/host.entity';
import type { InstanceEntity } from '../../inventory/instances/instance.entity';
import type { LiveMigrationEntity } from '../records/live-migration.entity';
import type { NetworkStepRecord } from '../../network/follow/network-step-record';
import type { PostCopyRecord } from '../prediction/precopy-record';

/** Everything one run of a migration carries from phase to phase. */
export interface RunContext {
  migration: LiveMigrationEntity;
  instance: InstanceEntity;
  flavor: FlavorEntity;
  source: HostEntity;
  destination: HostEntity;
  /** Whether an operator asked to abort this run. */
  abortRequested: () => boolean;
  /** Set from reservation on: the migration-stream capture and the probe. */
  capture?: CaptureSession;
  networkSteps: NetworkStepRecord[];
  /** The destination was pre-plugged: a failure must roll the network back. */
  networkPrePlugged: boolean;
  /** Started once, at switchover (or at completion when no pause was seen). */
  networkSwitchover?: Promise<boolean>;
  /** The switchover deltas being armed on the hosts, started after pre-plug so the copy need not wait. */
  networkArming?: Promise<boolean>;
  switchoverAt?: Date;
  /** The destination's resumed event: with the source's pause event, the guest's pause as libvirt's events tell it. */
  guestResumedAt?: Date;
  /** How long each preparation before the copy took, for the pre-copy phase's detail. */
  readyDetail?: string;
}

/** How libvirt's migrate call ended, and what the monitor loop saw on the way. */
export interface CopyOutcome {
  error: unknown;
  switchoverSeen: boolean;
  abortReason: string | null;
  lastDirtyRatePagesPerSec: number | null;
  /** Set when the run switched to post-copy: the figures the destination will not give. */
  postCopy?: PostCopyRecord | null;
}
