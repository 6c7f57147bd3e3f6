import { Injectable } from '@nestjs/common';
import type { ConvergenceAction, CopyStrategy } from '../core';
import { errorMessage, Hypervisor } from '../hypervisor';
import type { DomainRef } from '../libvirt';
import { MigrationRecorder } from '../migration-recorder.service';
import type { LiveMigrationEntity } from '../records/live-migration.entity';

export type ActionOutcome = 'applied' | 'failed';

/** The one place where a convergence policy's action becomes a libvirt call, and what became of it is recorded. */
@Injectable()
export class ConvergenceActions {
  constructor(
    private readonly hypervisor: Hypervisor,
    private readonly recorder: MigrationRecorder,
  ) {}

  async apply(migration: LiveMigrationEntity, domain: DomainRef, action: ConvergenceAction, atMs: number, by = 'policy'): Promise<void> {
    const { type, ...detail } = action;
    let outcome: ActionOutcome;
    let error: string | undefined;
    try {
      outcome = await this.perform(migration, domain, action);
    } catch (err) {
      outcome = 'failed';
      error = errorMessage(err);
    }
    await this.recorder.addConvergenceEvent(migration, {
      atMs,
      action: type,
      detail: { ...detail, by },
      outcome,
      ...(error ? { error } : {}),
    });
  }

  private async perform(migration: LiveMigrationEntity, domain: DomainRef, action: ConvergenceAction): Promise<ActionOutcome> {
    const libvirt = this.hypervisor.libvirt;
    switch (action.type) {
      case 'set-bandwidth':
        await libvirt.setMaxSpeed(domain, action.bandwidthMiBps);
        return 'applied';
      case 'set-max-downtime':
        await libvirt.setMaxDowntime(domain, action.downtimeMs);
        migration.maxDowntimeMs = action.downtimeMs;
        return 'applied';
      case 'start-post-copy':
        await libvirt.startPostCopy(domain);
        return 'applied';
      case 'abort':
        await libvirt.abortJob(domain);
        return 'applied';
      case 'pause-guest':
        // Paused vCPUs dirty nothing, so the copy finishes; libvirt resumes the guest on the destination.
        await libvirt.suspend(domain);
        return 'applied';
    }
  }

  /** What the migrate call itself carries (libvirt takes these only at the start), recorded as the run's first event. */
  async recordStart(migration: LiveMigrationEntity, strategy: CopyStrategy, flags: readonly string[]): Promise<void> {
    await this.recorder.addConvergenceEvent(migration, {
      atMs: 0,
      action: 'start-strategy',
      detail: {
        kind: strategy.kind,
        multifdChannels: strategy.multifdChannels,
        compression: strategy.compression,
        autoConverge: strategy.autoConverge,
        postCopyEnabled: strategy.postCopyEnabled,
        postCopyAfterFirstPass: strategy.postCopyAfterFirstPass,
        flags,
        reason: strategy.reason,
        by: 'policy',
      },
      outcome: 'applied',
    });
  }
}
