import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { requestLog } from '../../../src/observability/request-log';

type Req = IncomingMessage & { id?: string; log?: pino.Logger };

function world(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const root = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  const request = (url: string, headers: Record<string, string> = {}) => {
    const req = { url, method: 'GET', headers, socket: { remoteAddress: '192.0.2.9' } } as unknown as Req;
    const sent: Record<string, string> = {};
    const res = Object.assign(new EventEmitter(), {
      statusCode: 200,
      writableFinished: false,
      setHeader: (k: string, v: string) => (sent[k] = v),
    }) as unknown as ServerResponse & EventEmitter & { writableFinished: boolean };
    let nexts = 0;
    requestLog(root)(req, res, () => nexts++);
    const end = (status: number, finished = true) => {
      res.statusCode = status;
      (res as { writableFinished: boolean }).writableFinished = finished;
      res.emit('close');
    };
    return { req, res, sent, end, nexts: () => nexts };
  };
  return { lines, request };
}

describe('request log', () => {
  it('keeps a sane caller id, replaces a bad one, and echoes it', () => {
    const { request } = world();
    const kept = request('/hosts', { 'x-request-id': 'abc-123' });
    expect(kept.req.id).toBe('abc-123');
    expect(kept.sent['x-request-id']).toBe('abc-123');
    const made = request('/hosts', { 'x-request-id': 'bad id; drop table' });
    expect(made.req.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.sent['x-request-id']).toBe(made.req.id);
    expect(made.nexts()).toBe(1);
  });

  it('binds the request id to the request logger and writes one line when the answer is sent, without headers', () => {
    const { lines, request } = world();
    const r = request('/hosts?limit=5', { authorization: 'Bearer secret-token-0123456789', 'x-request-id': 'r1' });
    r.req.log?.info('inside');
    r.end(200);
    expect(lines.map((l) => l.msg)).toEqual(['inside', 'request completed']);
    expect(lines.every((l) => l.reqId === 'r1')).toBe(true);
    expect(lines[1]).toMatchObject({
      level: 30,
      req: { method: 'GET', url: '/hosts?limit=5', remoteAddress: '192.0.2.9' },
      res: { statusCode: 200 },
    });
    expect(typeof lines[1].responseTimeMs).toBe('number');
    expect(JSON.stringify(lines)).not.toContain('secret-token');
  });

  it('logs a server error as an error and a dropped connection as a warning', () => {
    const { lines, request } = world();
    request('/migrations').end(500);
    request('/migrations').end(200, false);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [50, 'request failed'],
      [40, 'request aborted before the answer was sent'],
    ]);
  });

  it('says nothing for probes and scrapes, nor below its level, and still gives them an id and a logger', () => {
    const quiet = world();
    const probe = quiet.request('/health');
    quiet.request('/metrics?x=1').end(200);
    probe.end(200);
    expect(quiet.lines).toEqual([]);
    expect(probe.req.log).toBeDefined();
    const warnOnly = world('warn');
    warnOnly.request('/hosts').end(200);
    expect(warnOnly.lines).toEqual([]);
  });
});
