import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AgentErrorBody } from '../../protocol';

/** Every agent error has one shape, {statusCode, error, message, details}, so the client can report the reason. */
@Catch()
export class AgentExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('AgentExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = toErrorBody(exception);
    if (body.statusCode === 401) {
      // Guards run before the access log; refused callers are worth a line of their own.
      const request = host.switchToHttp().getRequest<Request>();
      this.logger.warn(`${request.method} ${request.originalUrl} 401 ${body.message} from ${request.ip ?? 'unknown'}`);
    }
    if (body.statusCode >= 500) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response.status(body.statusCode).json(body);
  }
}

export function toErrorBody(exception: unknown): AgentErrorBody {
  if (!(exception instanceof HttpException)) {
    return { statusCode: 500, error: 'Internal Server Error', message: exception instanceof Error ? exception.message : String(exception) };
  }
  const statusCode = exception.getStatus();
  const raw = exception.getResponse();
  const error = (HttpStatus[statusCode] ?? 'Error')
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
  if (typeof raw === 'string') return { statusCode, error, message: raw };
  const fields = raw as { message?: unknown; details?: unknown };
  const message = Array.isArray(fields.message)
    ? fields.message.join('; ')
    : typeof fields.message === 'string'
      ? fields.message
      : exception.message;
  return fields.details === undefined ? { statusCode, error, message } : { statusCode, error, message, details: fields.details };
}
