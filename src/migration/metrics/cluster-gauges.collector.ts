import { Inject, Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { LIVEMIG_CONFIG, type LivemigConfig } from '../../config/livemig-config';
import { MetricsRegistry } from '../../observability/metrics.registry';
import { clusterSamples, type ClusterSamples, type Sample } from './cluster-gauges';
import { MetricsReadsRepository } from './repositories/metrics-reads.repository';

/**
 * Cluster-wide gauges read from the database at scrape time. Every replica exports the same values
 * (the database is the truth, whichever replica runs what): aggregate with max, not sum.
 */
@Injectable()
export class ClusterGaugesCollector {
  /** The read in flight: one scrape reads the database once for all these gauges, not once per gauge. */
  private inFlight: Promise<ClusterSamples> | null = null;

  constructor(
    metrics: MetricsRegistry,
    private readonly reads: MetricsReadsRepository,
    @Inject(LIVEMIG_CONFIG) private readonly config: LivemigConfig,
  ) {
    const gauge = (name: string, help: string, labelNames: string[], pick: (s: ClusterSamples) => Sample[]) => {
      const samples = () => this.samples();
      return new Gauge({
        name,
        help,
        labelNames,
        registers: [metrics.registry],
        async collect() {
          this.reset();
          for (const s of pick(await samples())) this.set(s.labels, s.value);
        },
      });
    };
    gauge('livemig_migration_queue_depth', 'Migrations waiting for a concurrency slot', [], (s) => s.queueDepth);
    gauge(
      'livemig_migrations_running',
      'Running migrations: the whole cluster (direction="cluster") and per host, outbound and inbound',
      ['direction', 'host'],
      (s) => s.running,
    );
    gauge(
      'livemig_migrations_running_limit',
      'Concurrency limits, for the cluster and per host direction',
      ['scope'],
      (s) => s.runningLimit,
    );
    gauge('livemig_drain_moves', 'Moves of running drains by outcome', ['drain_id', 'host', 'outcome'], (s) => s.drainMoves);
    gauge(
      'livemig_drain_progress_ratio',
      'Share of a running drain’s moves that have ended (0 to 1)',
      ['drain_id', 'host'],
      (s) => s.drainProgressRatio,
    );
    gauge(
      'livemig_rebalance_progress_ratio',
      'Share of a running rebalance run’s planned moves that have ended (0 to 1)',
      ['run_id', 'policy_id'],
      (s) => s.rebalanceProgressRatio,
    );
    gauge('livemig_agent_up', 'Host agent answering its heartbeat (1) or down (0)', ['host'], (s) => s.agentUp);
    gauge(
      'livemig_agent_heartbeat_age_seconds',
      'Seconds since the host agent last answered a heartbeat',
      ['host'],
      (s) => s.agentHeartbeatAgeSec,
    );
  }

  private samples(): Promise<ClusterSamples> {
    if (this.inFlight) return this.inFlight;
    const limits = {
      perCluster: this.config.migration.parallelMigrationsPerCluster,
      perOutboundHost: this.config.migration.parallelOutboundMigrationsPerHost,
      perInboundHost: this.config.migration.parallelInboundMigrationsPerHost,
    };
    const samples = this.reads.clusterRows().then((rows) => clusterSamples(rows, limits, new Date()));
    this.inFlight = samples;
    const clear = () => {
      if (this.inFlight === samples) this.inFlight = null;
    };
    samples.then(clear, clear);
    return samples;
  }
}
