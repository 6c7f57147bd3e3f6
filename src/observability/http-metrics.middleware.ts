import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsRegistry } from './metrics.registry';

@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsRegistry) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      // The route pattern, not the raw URL, keeps label cardinality bounded.
      const routePath = (req.route as { path?: string } | undefined)?.path;
      const route = routePath ? `${req.baseUrl}${routePath}` : 'unmatched';
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      this.metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      this.metrics.httpDuration.observe({ method: req.method, route }, seconds);
      if (req.method === 'POST' && route === '/analyses') this.analysis(req, res.statusCode, seconds);
    });
    next();
  }

  private analysis(req: Request, status: number, seconds: number): void {
    const outcome = status < 300 ? 'ok' : status < 500 ? 'rejected' : 'failed';
    this.metrics.analysisDuration.observe({ outcome }, seconds);
    const bytes = Number(req.headers['content-length']);
    if (Number.isFinite(bytes)) this.metrics.analysisBytes.observe({ outcome }, bytes);
  }
}
