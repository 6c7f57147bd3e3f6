import 'multer';
import {
  BadRequestException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  OnModuleDestroy,
  PayloadTooLargeException,
  ServiceUnavailableException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { rm } from 'node:fs/promises';
import { LIVEMIG_CONFIG, type LivemigConfig } from '../../config/livemig-config';
import { CaptureFormatError } from '../capture-format.error';
import { AnalysisOptionsError } from '../core/analysis-options';
import type { AnalysisReport } from '../core/analysis-report';
import { AnalysisBudgetError } from './analysis-job';
import { AnalysisUploadDto, parsePortRange } from './analysis-upload.dto';
import { AnalysisWorkerPool } from './analysis-worker-pool';

/** Analyses waiting for a worker before new uploads get 503. */
const MAX_QUEUED_ANALYSES = 32;
/** Heap of one analysis worker; the analyzer's state is bounded far below it. */
const WORKER_HEAP_MIB = 512;

// Runs uploaded captures through the analyzer in worker threads, within the configured budgets, and turns
// every failure into the API's error shape: 413 over the size budget, 422 for a capture that cannot be read
// (with the reason and byte offset) or an analysis over its time or memory budget, 503 when the queue is full.
@Injectable()
export class AnalysesService implements OnModuleDestroy {
  private readonly logger = new Logger(AnalysesService.name);
  private readonly pool: AnalysisWorkerPool;
  private readonly maxBytes: number;

  constructor(@Inject(LIVEMIG_CONFIG) config: LivemigConfig) {
    this.maxBytes = config.analysis.maxBytes;
    this.pool = new AnalysisWorkerPool({
      workers: config.analysis.workers,
      timeoutMs: config.analysis.timeoutMs,
      maxQueued: MAX_QUEUED_ANALYSES,
      heapMiB: WORKER_HEAP_MIB,
    });
  }

  async analyze(files: Express.Multer.File[], form: AnalysisUploadDto): Promise<AnalysisReport> {
    try {
      const totalBytes = files.reduce((sum, f) => sum + f.size, 0);
      if (totalBytes > this.maxBytes) {
        throw new PayloadTooLargeException({
          message: `the captures hold ${totalBytes} bytes, over the budget of ${this.maxBytes} bytes per upload`,
          details: { totalBytes, maxBytes: this.maxBytes },
        });
      }
      const ports = form.migrationPorts === undefined ? undefined : parsePortRange(form.migrationPorts);
      return await this.pool.run({
        paths: files.map((f) => f.path),
        options: { vmIp: form.vmIp, probeIntervalMs: form.probeIntervalMs, timelineMs: form.timelineMs, migrationPorts: ports },
      });
    } catch (err) {
      throw this.toHttp(err, files);
    } finally {
      await Promise.all(files.map((f) => rm(f.path, { force: true })));
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.close();
  }

  private toHttp(err: unknown, files: Express.Multer.File[]): unknown {
    if (err instanceof HttpException) return err;
    if (err instanceof CaptureFormatError) {
      const file = files.find((f) => f.path === err.file)?.originalname ?? err.file;
      return new UnprocessableEntityException({
        message: `${file}: ${err.reason} at byte offset ${err.offset}`,
        details: { file, offset: err.offset, reason: err.reason },
      });
    }
    if (err instanceof AnalysisOptionsError) return new BadRequestException({ message: err.message, details: null });
    if (err instanceof AnalysisBudgetError) {
      if (err.budget === 'queue') return new ServiceUnavailableException({ message: err.message, details: { budget: err.budget } });
      return new UnprocessableEntityException({ message: err.message, details: { budget: err.budget } });
    }
    // An analyzer bug must not look like a server fault to the analyst: the capture is what it could not read.
    this.logger.error(`analysis failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return new HttpException(
      { message: `the analyzer could not read these captures: ${err instanceof Error ? err.message : String(err)}`, details: null },
      HttpStatus.UNPROCESSABLE_ENTITY,
    );
  }
}
