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
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { flattenValidationErrors } from '../../common/http/validation';
import { LIVEMIG_CONFIG, type LivemigConfig } from '../../config/livemig-config';
import { CaptureFormatError } from '../capture-format.error';
import { AnalysisOptionsError } from '../core/analysis-options';
import type { AnalysisReport } from '../core/analysis-report';
import { AnalysisBudgetError } from './analysis-job';
import { AnalysisUploadDto, parsePortRange } from './analysis-upload.dto';
import { AnalysisWorkerPool } from './analysis-worker-pool';
import { indexMultipart, multipartBoundary, MultipartError, type MultipartIndex } from './multipart-index';
import { spoolUpload, UploadTooLargeError } from './upload-spool';

/** Analyses waiting for a worker before new uploads get 503. */
const MAX_QUEUED_ANALYSES = 32;
/** Heap of one analysis worker; the analyzer's state is bounded far below it. */
const WORKER_HEAP_MIB = 512;
/** Room for multipart boundaries, part headers and form fields beside the captures' bytes. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
const MULTIPART_LIMITS = { maxFiles: 8, maxFields: 16, maxFieldBytes: 1024 };

/** What the controller hands over: the raw request, and a way to close its connection on a refusal. */
export interface UploadRequest {
  body: IncomingMessage;
  closeConnection: () => void;
}

// Runs uploaded captures through the analyzer in worker threads, within the configured budgets, and turns
// every failure into the API's error shape: 413 over the size budget, 422 for a capture that cannot be read
// (with the reason and byte offset) or an analysis over its time or memory budget, 503 when the queue is full.
// The body is spooled to disk unparsed, so a big upload costs the event loop only its file writes.
@Injectable()
export class AnalysesService implements OnModuleDestroy {
  private readonly logger = new Logger(AnalysesService.name);
  private readonly pool: AnalysisWorkerPool;
  private readonly maxBytes: number;
  private readonly uploadDir: string;

  constructor(@Inject(LIVEMIG_CONFIG) config: LivemigConfig) {
    this.maxBytes = config.analysis.maxBytes;
    this.uploadDir = join(config.dataDir, 'uploads');
    mkdirSync(this.uploadDir, { recursive: true, mode: 0o700 });
    this.pool = new AnalysisWorkerPool({
      workers: config.analysis.workers,
      timeoutMs: config.analysis.timeoutMs,
      maxQueued: MAX_QUEUED_ANALYSES,
      heapMiB: WORKER_HEAP_MIB,
    });
  }

  async analyzeUpload(upload: UploadRequest): Promise<AnalysisReport> {
    const boundary = multipartBoundary(upload.body.headers['content-type']);
    if (boundary === undefined)
      throw new UnsupportedMediaTypeException({ message: 'send the captures as multipart/form-data', details: null });
    const spoolLimit = this.maxBytes + MULTIPART_OVERHEAD_BYTES;
    const declared = Number(upload.body.headers['content-length']);
    if (Number.isFinite(declared) && declared > spoolLimit) {
      upload.closeConnection();
      throw this.tooLarge(declared);
    }
    let spool;
    try {
      spool = await spoolUpload(upload.body, this.uploadDir, spoolLimit);
    } catch (err) {
      if (!(err instanceof UploadTooLargeError))
        throw new BadRequestException({ message: 'the upload did not arrive whole', details: null });
      upload.closeConnection();
      throw this.tooLarge(undefined);
    }
    try {
      const parts = await this.parts(spool.path, boundary);
      const form = await this.form(parts.fields);
      return await this.analyzeParts(spool.path, parts, form);
    } finally {
      await rm(spool.path, { force: true });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.close();
  }

  private async parts(path: string, boundary: string): Promise<MultipartIndex> {
    try {
      return await indexMultipart(path, boundary, MULTIPART_LIMITS);
    } catch (err) {
      if (err instanceof MultipartError) throw new BadRequestException({ message: err.message, details: null });
      throw err;
    }
  }

  private async form(fields: Record<string, string>): Promise<AnalysisUploadDto> {
    // The same rules as the global ValidationPipe: the fields arrive only once the body is on disk.
    const form = plainToInstance(AnalysisUploadDto, fields);
    const errors = await validate(form, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) {
      const details = flattenValidationErrors(errors);
      throw new BadRequestException({ message: `invalid fields: ${details.map((d) => d.field).join(', ')}`, details });
    }
    return form;
  }

  private async analyzeParts(path: string, parts: MultipartIndex, form: AnalysisUploadDto): Promise<AnalysisReport> {
    const files = parts.files.filter((f) => f.field === 'files');
    if (files.length === 0 || files.length !== parts.files.length) {
      throw new BadRequestException({
        message: 'upload at least one capture in the "files" field',
        details: [{ field: 'files', errors: ['required'] }],
      });
    }
    const totalBytes = files.reduce((sum, f) => sum + (f.end - f.start), 0);
    if (totalBytes > this.maxBytes) throw this.tooLarge(totalBytes);
    const ports = form.migrationPorts === undefined ? undefined : parsePortRange(form.migrationPorts);
    try {
      return await this.pool.run({
        captures: files.map((f) => ({ name: f.filename, path, start: f.start, end: f.end })),
        options: { vmIp: form.vmIp, probeIntervalMs: form.probeIntervalMs, timelineMs: form.timelineMs, migrationPorts: ports },
      });
    } catch (err) {
      throw this.toHttp(err);
    }
  }

  private tooLarge(totalBytes: number | undefined): PayloadTooLargeException {
    return new PayloadTooLargeException({
      message:
        totalBytes === undefined
          ? `the upload is over the budget of ${this.maxBytes} bytes per upload`
          : `the captures hold ${totalBytes} bytes, over the budget of ${this.maxBytes} bytes per upload`,
      details: { totalBytes: totalBytes ?? null, maxBytes: this.maxBytes },
    });
  }

  private toHttp(err: unknown): unknown {
    if (err instanceof HttpException) return err;
    if (err instanceof CaptureFormatError) {
      return new UnprocessableEntityException({
        message: `${err.file}: ${err.reason} at byte offset ${err.offset}`,
        details: { file: err.file, offset: err.offset, reason: err.reason },
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
