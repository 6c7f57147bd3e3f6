import { HttpException, Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { tap, type Observable } from 'rxjs';

/** One line per RPC, so a lab run can be followed on the agent's side. Heartbeats stay at debug level. */
@Injectable()
export class AccessLogInterceptor implements NestInterceptor {
  private readonly logger = new Logger('AgentRpc');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const startedAt = process.hrtime.bigint();
    const log = (status: number, reason = '') => {
      const ms = Number(process.hrtime.bigint() - startedAt) / 1e6;
      const line = `${request.method} ${request.originalUrl} ${status} ${ms.toFixed(1)}ms${reason ? ` ${reason}` : ''}`;
      if (request.path === '/v1/health' && status < 400) this.logger.debug(line);
      else this.logger.log(line);
    };
    return next.handle().pipe(
      tap({
        complete: () => log(http.getResponse<Response>().statusCode),
        // The exception filter has not set the status yet; take it from the exception.
        error: (err: unknown) => log(err instanceof HttpException ? err.getStatus() : 500, err instanceof Error ? err.message : ''),
      }),
    );
  }
}
