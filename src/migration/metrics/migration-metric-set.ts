import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsRegistry } from '../../observability/metrics.registry';

// Seconds: a TCG guest in the lab pauses for tenths of a second, a busy guest on a slow link for many.
const DOWNTIME_BUCKETS_SEC = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const DURATION_BUCKETS_SEC = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
// Network minus hypervisor: negative when the probes saw less than libvirt's figure.
const EXCESS_BUCKETS_SEC = [-1, -0.25, -0.1, 0, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const DOWNTIME_MEASUREMENTS = ['hypervisor', 'east_west', 'north_south'] as const;
export type DowntimeMeasurement = (typeof DOWNTIME_MEASUREMENTS)[number];

/**
 * Event-driven migration metrics. Only the replica that runs a migration sees its events, so each value
 * is exported once, by its owner: sum over instances for the cluster.
 */
@Injectable()
export class MigrationMetricSet {
  readonly started: Counter<'flavor' | 'policy'>;
  readonly finished: Counter<'outcome' | 'flavor' | 'policy'>;
  readonly durationSec: Histogram<'outcome' | 'flavor'>;
  readonly downtimeSec: Histogram<'measurement' | 'flavor'>;
  readonly networkExcessDowntimeSec: Histogram<'flavor'>;
  // Running migrations: one series per migration, removed when it ends so cardinality stays bounded.
  readonly dataRemainingBytes: Gauge<'migration_id' | 'instance'>;
  readonly dataTotalBytes: Gauge<'migration_id' | 'instance'>;
  readonly dirtyRatePagesPerSec: Gauge<'migration_id' | 'instance'>;
  readonly bandwidthBytesPerSec: Gauge<'migration_id' | 'instance'>;
  readonly iteration: Gauge<'migration_id' | 'instance'>;
  readonly phase: Gauge<'migration_id' | 'instance' | 'phase'>;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.started = new Counter({
      name: 'livemig_migrations_started_total',
      help: 'Migrations whose run began (entered pre-migration), by flavor and convergence policy',
      labelNames: ['flavor', 'policy'],
      registers,
    });
    this.finished = new Counter({
      name: 'livemig_migrations_finished_total',
      help: 'Migrations that reached a terminal state, by outcome, flavor and convergence policy',
      labelNames: ['outcome', 'flavor', 'policy'],
      registers,
    });
    this.durationSec = new Histogram({
      name: 'livemig_migration_duration_seconds',
      help: 'Time from pre-migration to the terminal state',
      labelNames: ['outcome', 'flavor'],
      buckets: DURATION_BUCKETS_SEC,
      registers,
    });
    this.downtimeSec = new Histogram({
      name: 'livemig_migration_downtime_seconds',
      help: "Downtime of completed migrations: libvirt's figure (hypervisor) and the probes' gap (east_west, north_south)",
      labelNames: ['measurement', 'flavor'],
      buckets: DOWNTIME_BUCKETS_SEC,
      registers,
    });
    this.networkExcessDowntimeSec = new Histogram({
      name: 'livemig_migration_network_excess_downtime_seconds',
      help: 'East-west network downtime minus the hypervisor downtime of the same migration',
      labelNames: ['flavor'],
      buckets: EXCESS_BUCKETS_SEC,
      registers,
    });
    const running = (name: string, help: string) =>
      new Gauge({ name, help: `${help} (running migrations only)`, labelNames: ['migration_id', 'instance'], registers });
    this.dataRemainingBytes = running('livemig_migration_data_remaining_bytes', 'Guest memory still to copy');
    this.dataTotalBytes = running('livemig_migration_data_total_bytes', 'Guest memory to copy in all');
    this.dirtyRatePagesPerSec = running('livemig_migration_dirty_rate_pages_per_second', 'Pages the guest dirties per second');
    this.bandwidthBytesPerSec = running('livemig_migration_bandwidth_bytes_per_second', 'Copy bandwidth libvirt reports');
    this.iteration = running('livemig_migration_iteration', 'Pre-copy memory iteration');
    this.phase = new Gauge({
      name: 'livemig_migration_phase',
      help: 'The phase a running migration is in (1 for the current phase)',
      labelNames: ['migration_id', 'instance', 'phase'],
      registers,
    });
  }

  /** The per-migration gauges, for removal at the end. */
  runningGauges(): Gauge<'migration_id' | 'instance'>[] {
    return [this.dataRemainingBytes, this.dataTotalBytes, this.dirtyRatePagesPerSec, this.bandwidthBytesPerSec, this.iteration];
  }
}
