import { Injectable, Logger } from '@nestjs/common';
import { AgentDirectory } from '../../agents/agent-directory.service';
import type { FlavorEntity } from '../../inventory/flavors/flavor.entity';
import type { HostEntity } from '../../inventory/hosts/host.entity';
import type { InstanceEntity } from '../../inventory/instances/instance.entity';
import { chooseStrategy, initialConvergenceState, migrationDataGiB, type HypervisorVersions } from '../core';
import { errorMessage, Hypervisor } from '../hypervisor';
import { MigrationRecorder } from '../migration-recorder.service';
import type { LiveMigrationEntity } from '../records/live-migration.entity';
import { LiveMigrationsRepository } from '../repositories/live-migrations.repository';
import { predictFromInputs, precopyInputs, predictionError, type DirtyWindow, type LinkRate } from './precopy-inputs';
import type { PrecopyRecord } from './precopy-record';
import { strategyInputs, versionsText, type CpuWindow, type StreamRate } from './strategy-inputs';

/**
 * QEMU's shortest calculation, then one twice as long: the second shows whether the guest keeps
 * rewriting the same pages. Together they hold the migration back by about three seconds.
 */
export const DIRTY_RATE_WINDOWS_SEC = [1, 2] as const;
/**
 * The auto strategy's fast start: QEMU's shortest window only, beside the pre-plug and the captures; the end of
 * the first pass checks the choice again on QEMU's own figures.
 */
export const FAST_START_DIRTY_RATE_WINDOWS_SEC = [1] as const;
const SETUP_HISTORY = 10;
const STREAM_HISTORY = 5;

interface PredictionContext {
  migration: LiveMigrationEntity;
  instance: InstanceEntity;
  flavor: FlavorEntity;
  source: HostEntity;
}

/**
 * Before the copy: measures the guest's dirty rate through libvirt, asks the source's agent for its
 * migration link and the guest's non-zero RAM, and stores the pre-copy model's prediction on the migration.
 * After it: stores the error against the hypervisor's total time. Never fails a migration: what cannot be
 * measured is noted, and without a dirty rate the model is skipped.
 */
@Injectable()
export class PrecopyPredictionService {
  private readonly logger = new Logger(PrecopyPredictionService.name);

  constructor(
    private readonly migrations: LiveMigrationsRepository,
    private readonly hypervisor: Hypervisor,
    private readonly agents: AgentDirectory,
    private readonly recorder: MigrationRecorder,
  ) {}

  async beforeCopy(ctx: PredictionContext): Promise<void> {
    const { migration, instance, flavor, source } = ctx;
    const notes: string[] = [];
    const record: PrecopyRecord = {
      madeAt: new Date().toISOString(),
      strategy: null,
      inputs: null,
      prediction: null,
      error: null,
      notes,
    };
    // Each reading timed: they run together, and the slowest holds the copy back.
    const started = Date.now();
    const took: string[] = [];
    const timed = async <T>(name: string, work: Promise<T>): Promise<T> => {
      try {
        return await work;
      } finally {
        took.push(`${name} ${Date.now() - started} ms`);
      }
    };
    try {
      const [rate, link, recentSetupMs, previousFirstRoundBytes, hostMemory, history, versions] = await Promise.all([
        timed(
          'dirty rate',
          this.measureDirtyRate(
            source.libvirtUri,
            instance.domainName,
            migration.policy.strategy === 'auto' ? FAST_START_DIRTY_RATE_WINDOWS_SEC : DIRTY_RATE_WINDOWS_SEC,
          ),
        ),
        timed('link', this.migrationLink(source, notes)),
        this.recentSetupMs(source.id),
        this.previousFirstRoundBytes(instance.id),
        timed('guest RAM', this.hostMemory(source, instance.domainName, flavor.ramMiB, notes)),
        this.streamHistory(source.id),
        timed('versions', this.versions(source.libvirtUri, notes)),
      ]);
      notes.push(`readings before the copy: ${took.join(', ')}`);
      const firstStep = initialConvergenceState(migration.policy, migrationDataGiB(flavor.ramMiB)).steps[0];
      record.inputs = precopyInputs({
        ramMiB: flavor.ramMiB,
        previousFirstRoundBytes,
        hostMemory,
        dirtyWindows: rate.windows,
        dirtyRateMode: rate.calcMode,
        policyBandwidthMiBps: migration.policy.bandwidthMiBps,
        maxDowntimeMs: firstStep?.downtimeMs ?? migration.policy.maxDowntimeMs,
        link,
        recentSetupMs,
      });
      record.prediction = predictFromInputs(record.inputs);
      const inputs = strategyInputs({ precopy: record.inputs, history, cpu: rate.cpu, versions });
      record.strategy = { choice: chooseStrategy(migration.policy, inputs), inputs, ...versionsText(versions) };
    } catch (err) {
      notes.push(`no prediction: ${errorMessage(err)}`);
      this.logger.warn(`migration ${migration.id}: no pre-copy prediction: ${errorMessage(err)}`);
    }
    const p = record.prediction;
    await this.recorder.save(migration, {
      precopyPrediction: record,
      predIterations: p?.iterations ?? null,
      predTotalTimeMs: p?.totalTimeMs ?? null,
      predDowntimeMs: p?.downtimeMs ?? null,
      predConverges: p?.converges ?? null,
    });
  }

  /** After the report: the error against what the hypervisor measured, for completed migrations. */
  async afterEnd(migration: LiveMigrationEntity): Promise<void> {
    const record = migration.precopyPrediction;
    if (!record?.prediction || migration.state !== 'completed') return;
    const error = predictionError(record.prediction, migration);
    if (!error) return;
    try {
      await this.recorder.save(migration, { precopyPrediction: { ...record, error }, predTotalTimeErrorRatio: error.totalTimeRelative });
    } catch (err) {
      this.logger.warn(`migration ${migration.id}: prediction error not stored: ${errorMessage(err)}`);
    }
  }

  /** The dirty-rate windows, and the host's idle CPU over the same seconds (two reads of its counters, free). */
  private async measureDirtyRate(
    uri: string,
    domainName: string,
    windowsSec: readonly number[],
  ): Promise<{ windows: DirtyWindow[]; calcMode: string | null; cpu: CpuWindow | null }> {
    return this.hypervisor.withConnection(uri, async (c) => {
      const libvirt = this.hypervisor.libvirt;
      const domain = await libvirt.lookupDomain(c, domainName);
      const windows: DirtyWindow[] = [];
      let calcMode: string | null = null;
      const cpuBefore = await libvirt.nodeCpuStats(c).catch(() => null);
      for (const seconds of windowsSec) {
        // Page-sampling: dirty-bitmap mode crashes QEMU 7.2 under TCG, dirty-ring needs KVM.
        const rate = await this.hypervisor.libvirt.dirtyRate(domain, { calcSeconds: seconds, mode: 'page-sampling' });
        if (rate.megabytesPerSecond === undefined) throw new Error(`libvirt gave no dirty rate for ${domainName} (status ${rate.status})`);
        windows.push({ seconds, mibPerSec: rate.megabytesPerSecond });
        calcMode = rate.calcMode ?? calcMode;
      }
      const [cpuAfter, node] = await Promise.all([libvirt.nodeCpuStats(c).catch(() => null), libvirt.nodeInfo(c).catch(() => null)]);
      return { windows, calcMode, cpu: cpuBefore && cpuAfter && node ? idleWindow(cpuBefore, cpuAfter, node.cpus) : null };
    });
  }

  /** What earlier migrations from the host carried: the measured bandwidth, single-stream or multifd. */
  private async streamHistory(sourceHostId: string): Promise<StreamRate[]> {
    const rows = await this.migrations.recentPeakBandwidths(sourceHostId, STREAM_HISTORY);
    return rows.map((r) => {
      const start = r.convergenceEvents.find((e) => e.action === 'start-strategy');
      const channels = start?.detail['multifdChannels'];
      return { peakBytesPerSec: r.peakBytesPerSec, multifdChannels: typeof channels === 'number' ? channels : 1 };
    });
  }

  private async versions(uri: string, notes: string[]): Promise<HypervisorVersions | null> {
    try {
      const v = await this.hypervisor.withConnection(uri, (c) => this.hypervisor.libvirt.versions(c));
      return { libvirt: v.library, qemu: v.hypervisor };
    } catch (err) {
      notes.push(`libvirt and QEMU versions unknown: ${errorMessage(err)}`);
      return null;
    }
  }

  /**
   * Non-zero memory sent in the first round of the instance's last completed migration: the most
   * processed while libvirt still reported iteration 1.
   */
  private async previousFirstRoundBytes(instanceId: string): Promise<number | null> {
    const last = await this.migrations.lastCompletedOf(instanceId);
    return last ? this.migrations.peakProcessedInIteration(last.id, 1) : null;
  }

  /** The source's migration interface as its agent reads it; null (planning default) without an agent. */
  private async migrationLink(source: HostEntity, notes: string[]): Promise<LinkRate | null> {
    try {
      const link = await (await this.agents.clientFor(source.id)).migrationLink(source.migrationInterface);
      return { shapedRateBitsPerSec: link.shapedRateBitsPerSec, speedBitsPerSec: link.speedBitsPerSec };
    } catch (err) {
      notes.push(`migration link of ${source.name} unknown: ${errorMessage(err)}`);
      return null;
    }
  }

  /** The guest RAM its host holds and how much of it is not zero, from the source's agent; null (and a note) when it cannot say. */
  private async hostMemory(
    source: HostEntity,
    domainName: string,
    ramMiB: number,
    notes: string[],
  ): Promise<{ residentBytes: number; nonZeroBytes: number } | null> {
    try {
      const m = await (await this.agents.clientFor(source.id)).guestMemory(domainName, ramMiB);
      return { residentBytes: m.residentBytes, nonZeroBytes: m.nonZeroBytes };
    } catch (err) {
      notes.push(`guest RAM on ${source.name} unknown: ${errorMessage(err)}`);
      return null;
    }
  }

  private recentSetupMs(sourceHostId: string): Promise<number[]> {
    return this.migrations.recentSetupTimesMs(sourceHostId, SETUP_HISTORY);
  }
}

type CpuCounters = { kernelNs?: number; userNs?: number; idleNs?: number; iowaitNs?: number };

function idleWindow(before: CpuCounters, after: CpuCounters, cpus: number): CpuWindow | null {
  const busy = (s: CpuCounters) => (s.kernelNs ?? 0) + (s.userNs ?? 0) + (s.iowaitNs ?? 0);
  const idle = (after.idleNs ?? 0) - (before.idleNs ?? 0);
  const total = idle + busy(after) - busy(before);
  return total > 0 ? { cpus, idleShare: Math.min(1, Math.max(0, idle / total)) } : null;
}
