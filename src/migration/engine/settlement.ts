import { Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HostEntity } from '../../inventory/hosts/host.entity';
import { settlementVerdict, type Whereabouts } from '../core';
import { errorMessage, Hypervisor } from '../hypervisor';
import type { LiveMigrationEntity } from '../records/live-migration.entity';
import { HostsRepository } from '../../inventory/repositories/hosts.repository';

export type SettlementSubject = Pick<LiveMigrationEntity, 'id' | 'domainName' | 'sourceHostId' | 'destinationHostId'>;

export interface SettleOptions {
  /** The caller saw the migrate call return (the runner); otherwise settlement waits for the job to end (recovery, adoption). */
  jobEnded: boolean;
  /** How long to wait for an undecided state before giving up; ignored when `jobEnded`. */
  maxWaitMs?: number;
  pollMs?: number;
  /** Checked at every poll: true stops settling (shutdown). */
  stop?: () => boolean;
}

interface Settled {
  source: HostEntity;
  destination: HostEntity;
  observed: { source: Whereabouts; destination: Whereabouts };
}

/** What the migration really became; the hypervisor side is already made right (stale copy destroyed, guest started). */
export type SettledOutcome =
  | (Settled & { outcome: 'completed' })
  | (Settled & { outcome: 'stayed-on-source'; reason: string })
  | (Settled & { outcome: 'started'; host: HostEntity; reason: string })
  | (Settled & { outcome: 'lost'; reason: string })
  | (Settled & { outcome: 'undecided'; reason: string })
  | (Settled & { outcome: 'postcopy-failed'; reason: string })
  | { outcome: 'stopped' };

const POLL_MS = 1000;
const MAX_WAIT_MS = 30 * 60_000;

/**
 * Settlement, the one place that decides from the hypervisors how a migration ended: where the guest
 * runs, whether a job is still moving it; a stale paused copy is destroyed and a guest that runs
 * nowhere is started where it is defined. Used by the runner when the migrate call failed and by the
 * restart recovery; it records nothing, the caller ends the record from the outcome.
 */
@Injectable()
export class Settlement {
  private readonly logger = new Logger(Settlement.name);

  constructor(
    private readonly hypervisor: Hypervisor,
    private readonly hosts: HostsRepository,
  ) {}

  async settle(migration: SettlementSubject, options: SettleOptions): Promise<SettledOutcome> {
    const [source, destination] = await Promise.all([
      this.hosts.getById(migration.sourceHostId),
      this.hosts.getById(migration.destinationHostId),
    ]);
    const started = Date.now();
    for (;;) {
      const [onSource, sourceJobActive] = await this.look(source, migration.domainName, !options.jobEnded);
      const [onDestination] = await this.look(destination, migration.domainName, false);
      const settled: Settled = { source, destination, observed: { source: onSource, destination: onDestination } };
      const v = settlementVerdict({ source: onSource, destination: onDestination, sourceJobActive, jobEnded: options.jobEnded });
      if (options.stop?.()) return { outcome: 'stopped' };
      switch (v.verdict) {
        case 'wait':
          if (Date.now() - started > (options.maxWaitMs ?? MAX_WAIT_MS)) return { ...settled, outcome: 'undecided', reason: v.reason };
          await sleep(options.pollMs ?? POLL_MS);
          continue;
        case 'completed':
          return { ...settled, outcome: 'completed' };
        case 'stays-on-source': {
          const note = v.destroyDestinationCopy ? await this.destroyCopy(destination, migration.domainName) : '';
          return { ...settled, outcome: 'stayed-on-source', reason: `${v.reason}${note}` };
        }
        case 'start-on': {
          const host = v.host === 'source' ? source : destination;
          try {
            await this.onHost(host, migration.domainName, (d) => this.hypervisor.libvirt.start(d));
            return { ...settled, outcome: 'started', host, reason: `${v.reason}; started it on ${host.name}` };
          } catch (err) {
            return { ...settled, outcome: 'lost', reason: `${v.reason}; it could not be started on ${host.name}: ${errorMessage(err)}` };
          }
        }
        case 'lost':
          return { ...settled, outcome: 'lost', reason: v.reason };
        case 'postcopy-failed':
          return { ...settled, outcome: 'postcopy-failed', reason: v.reason };
      }
    }
  }

  private async destroyCopy(destination: HostEntity, domainName: string): Promise<string> {
    try {
      await this.onHost(destination, domainName, (d) => this.hypervisor.libvirt.destroy(d));
      return '; the destination copy was destroyed';
    } catch (err) {
      this.logger.warn(`could not destroy the stale copy on ${destination.name}: ${errorMessage(err)}`);
      return `; the destination copy could not be destroyed: ${errorMessage(err)}`;
    }
  }

  private onHost(host: HostEntity, domainName: string, act: (domain: Parameters<Hypervisor['libvirt']['start']>[0]) => Promise<void>) {
    return this.hypervisor.withConnection(host.libvirtUri, async (c) => {
      const p = await this.hypervisor.presence(c, domainName);
      if (p.present) await act(p.domain);
    });
  }

  private async look(host: HostEntity, domainName: string, withJob: boolean): Promise<[Whereabouts, boolean]> {
    try {
      return await this.hypervisor.withConnection(host.libvirtUri, async (c) => {
        const presence = await this.hypervisor.presence(c, domainName);
        if (!presence.present) return [{ present: false }, false];
        const job = withJob ? await this.hypervisor.libvirt.jobStats(presence.domain).catch(() => null) : null;
        return [{ present: true, state: presence.state, postCopyFailed: presence.postCopyFailed }, job !== null && job.type !== 'none'];
      });
    } catch {
      return [null, false];
    }
  }
}

/** A host's whereabouts in a few words, for a phase detail. */
export function describeWhereabouts(w: Whereabouts): string {
  if (w === null) return 'unreachable';
  return w.present ? w.state : 'absent';
}
