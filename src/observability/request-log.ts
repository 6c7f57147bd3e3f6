import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
// Probes and scrapes would drown the log.
const QUIET_PATHS = new Set(['/metrics', '/health']);

type LoggedRequest = IncomingMessage & { id?: string; log?: Logger };

/** Keeps a caller's x-request-id when it is sane, otherwise makes one; echoes it back. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

/**
 * Gives each request its id and a logger bound to it (the one nestjs-pino puts in the request's context),
 * and writes one line when the answer is sent. It does what pino-http did here, without serialising the
 * whole request into a child logger on every request whatever the level: that was a sixth of the
 * controller's CPU on GET /hosts. Headers are never logged, so no token can reach the log.
 */
export function requestLog(root: Logger): (req: LoggedRequest, res: ServerResponse, next: () => void) => void {
  return (req, res, next) => {
    const id = requestId(req, res);
    req.id = id;
    req.log = root.child({ reqId: id });
    const path = (req.url ?? '').split('?', 1)[0];
    if (!QUIET_PATHS.has(path) && root.isLevelEnabled('info')) {
      const startedAt = process.hrtime.bigint();
      res.once('close', () => {
        const responseTimeMs = Math.round(Number(process.hrtime.bigint() - startedAt) / 1e5) / 10;
        const line = {
          req: { method: req.method, url: req.url, remoteAddress: req.socket.remoteAddress },
          res: { statusCode: res.statusCode },
          responseTimeMs,
        };
        if (res.statusCode >= 500) req.log?.error(line, 'request failed');
        else if (!res.writableFinished) req.log?.warn(line, 'request aborted before the answer was sent');
        else req.log?.info(line, 'request completed');
      });
    }
    next();
  };
}
