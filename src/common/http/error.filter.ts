import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';
import type { ApiErrorDto } from './api-error';
import { isConstraintViolation } from './conflict';

/** Maps every error to {statusCode, error, message, details}. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    // Every 500 with its cause chain: the client only gets "internal error".
    if (body.statusCode >= 500) this.logger.error(describe(exception));
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ApiErrorDto {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'string') return shape(status, response, null);
      const r = response as { message?: unknown; details?: unknown };
      const message = Array.isArray(r.message) ? r.message.join('; ') : typeof r.message === 'string' ? r.message : exception.message;
      return shape(status, message, r.details ?? null);
    }
    if (isConstraintViolation(exception)) {
      // The database's message names tables, columns and values: it is logged, never returned.
      this.logger.warn(`constraint violation: ${exception.message}`);
      return shape(HttpStatus.CONFLICT, 'the change conflicts with existing data', null);
    }
    // body-parser errors (bad JSON, too large) carry a client status.
    const status = (exception as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return shape(status, (exception as Error).message, null);
    }
    return shape(HttpStatus.INTERNAL_SERVER_ERROR, 'internal error', null);
  }
}

function describe(exception: unknown): string {
  const parts: string[] = [];
  let current: unknown = exception;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    parts.push(current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : JSON.stringify(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\ncaused by: ');
}

function shape(statusCode: number, message: string, details: unknown): ApiErrorDto {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, details };
}
