// Issue 16, finding 6: database constraint messages and 500s' causes go to the log, never to the client.
import { Logger, type ArgumentsHost } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorFilter } from '../../../src/common/http/error.filter';

function respond(exception: unknown): { status: number; body: Record<string, unknown> } {
  const out = { status: 0, body: {} as Record<string, unknown> };
  const res = {
    status(code: number) {
      out.status = code;
      return this;
    },
    json(body: Record<string, unknown>) {
      out.body = body;
      return this;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  new ErrorFilter().catch(exception, host);
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe('error filter', () => {
  it.each([
    ['better-sqlite3', 'SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed: hosts.name'],
    ['PostgreSQL', '23505', 'duplicate key value violates unique constraint "UQ_hosts_name"'],
  ])('a %s constraint violation: 409 in livemig words, the database text only logged', (_driver, code, text) => {
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const err = new QueryFailedError('INSERT INTO "hosts" ("name") VALUES ($1)', ['compute-a'], Object.assign(new Error(text), { code }));
    const { status, body } = respond(err);
    expect(status).toBe(409);
    const sent = JSON.stringify(body);
    for (const internal of ['constraint', 'hosts', 'INSERT', 'compute-a', 'SQLITE', 'duplicate key']) expect(sent).not.toContain(internal);
    expect(warn.mock.calls.flat().join(' ')).toContain(text);
  });

  it('a 500 answers "internal error" and logs the whole cause chain', () => {
    const error = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const root = new Error('virConnectOpen: Cannot read CA certificate /etc/pki/CA/cacert.pem');
    const { status, body } = respond(new Error('pre-check failed', { cause: root }));
    expect(status).toBe(500);
    expect(body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'internal error', details: null });
    const logged = error.mock.calls.flat().join(' ');
    expect(logged).toContain('pre-check failed');
    expect(logged).toMatch(/caused by: Error: virConnectOpen: Cannot read CA certificate/);
  });
});
