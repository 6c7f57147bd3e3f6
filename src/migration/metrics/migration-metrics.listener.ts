import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { MigrationEventBus, type MigrationEvent } from '../migration-events';
import { isTerminal, type MigrationState, type TerminalState } from '../migration-phase';
import { MigrationQueueService } from '../migration-queue.service';
import { downtimeObservations } from './downtime-observations';
import { MigrationMetricSet } from './migration-metric-set';
import { MetricsReadsRepository, type MigrationLabelRow } from './repositories/metrics-reads.repository';

interface Tracked {
  labels: Promise<MigrationLabelRow | null>;
  phase: MigrationState | null;
  /** Events of one migration are handled in order; different migrations do not wait for each other. */
  chain: Promise<void>;
}

/** Turns the migration event stream into counters, histograms and the running migrations' gauges. */
@Injectable()
export class MigrationMetricsListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MigrationMetricsListener.name);
  private readonly tracked = new Map<string, Tracked>();
  private subscription: Subscription | null = null;

  constructor(
    private readonly bus: MigrationEventBus,
    private readonly metrics: MigrationMetricSet,
    private readonly reads: MetricsReadsRepository,
    private readonly queue: MigrationQueueService,
  ) {}

  onModuleInit(): void {
    this.subscription = this.bus.all().subscribe((event) => this.accept(event));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** Resolves once every event received so far is reflected (for tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.tracked.values()].map((t) => t.chain));
  }

  private accept(event: MigrationEvent): void {
    let t = this.tracked.get(event.migrationId);
    if (!t) {
      t = { labels: this.reads.labelsOf(event.migrationId), phase: null, chain: Promise.resolve() };
      this.tracked.set(event.migrationId, t);
    }
    const tracked = t;
    tracked.chain = tracked.chain
      .then(() => this.handle(tracked, event))
      .catch((err: unknown) => this.logger.warn(`metrics of migration ${event.migrationId}: ${String(err)}`));
  }

  private async handle(t: Tracked, event: MigrationEvent): Promise<void> {
    const row = await t.labels;
    if (!row) return;
    const series = { migration_id: row.id, instance: row.instanceName };
    if (event.type === 'sample') {
      if (t.phase !== null && isTerminal(t.phase)) return;
      const d = event.data;
      const set = (gauge: (typeof this.metrics)['iteration'], value: number | null | undefined) => {
        if (typeof value === 'number') gauge.set(series, value);
      };
      set(this.metrics.dataRemainingBytes, d.dataRemainingBytes);
      set(this.metrics.dataTotalBytes, d.dataTotalBytes);
      set(this.metrics.dirtyRatePagesPerSec, d.dirtyRatePagesPerSec);
      set(this.metrics.bandwidthBytesPerSec, d.bandwidthBytesPerSec);
      set(this.metrics.iteration, d.memoryIteration);
      return;
    }
    if (event.type !== 'phase') return;
    const phase = event.data.phase;
    if (t.phase !== null) this.metrics.phase.remove({ ...series, phase: t.phase });
    t.phase = phase;
    if (phase === 'pre-migration') this.metrics.started.inc({ flavor: row.flavorName, policy: row.policyName });
    if (!isTerminal(phase)) {
      this.metrics.phase.set({ ...series, phase }, 1);
      return;
    }
    for (const gauge of this.metrics.runningGauges()) gauge.remove(series);
    this.metrics.finished.inc({ outcome: phase, flavor: row.flavorName, policy: row.policyName });
    await this.observeEnd(row, phase);
    this.tracked.delete(row.id);
  }

  /** After the run (the report included), so the network figures are there. */
  private async observeEnd(row: MigrationLabelRow, outcome: TerminalState): Promise<void> {
    await this.queue.whenDone(row.id);
    const figures = await this.reads.figuresOf(row.id);
    if (!figures) return;
    const obs = downtimeObservations(figures);
    if (obs.durationSec !== null) this.metrics.durationSec.observe({ outcome, flavor: row.flavorName }, obs.durationSec);
    if (outcome !== 'completed') return;
    for (const [measurement, seconds] of obs.downtimeSec)
      this.metrics.downtimeSec.observe({ measurement, flavor: row.flavorName }, seconds);
    if (obs.networkExcessSec !== null) this.metrics.networkExcessDowntimeSec.observe({ flavor: row.flavorName }, obs.networkExcessSec);
  }
}
