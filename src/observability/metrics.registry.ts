import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** One registry per app instance, so several apps in one process never clash. */
@Injectable()
export class MetricsRegistry implements OnModuleDestroy {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'livemig_http_requests_total',
    help: 'HTTP requests by method, route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'livemig_http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  /** POST /analyses as the analyst sees it: upload and analysis together, by outcome (ok, rejected, failed). */
  readonly analysisDuration = new Histogram({
    name: 'livemig_analysis_duration_seconds',
    help: 'POST /analyses time, upload included, by outcome',
    labelNames: ['outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });

  readonly analysisBytes = new Histogram({
    name: 'livemig_analysis_upload_bytes',
    help: 'Size of the POST /analyses request (the capture files and the form), by outcome',
    labelNames: ['outcome'] as const,
    buckets: [1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 4e9],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Gauges named like counters (promtool's lint says so); the per-type nodejs_active_* gauges carry the same.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'])
      this.registry.removeSingleMetric(name);
  }

  onModuleDestroy(): void {
    this.registry.clear();
  }
}
