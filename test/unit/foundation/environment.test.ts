import { describe, expect, it } from 'vitest';
import { validateEnvironment } from '../../../src/config/environment';
import { buildConfig } from '../../../src/config/livemig-config';

describe('configuration', () => {
  it('defaults to port 8080 and embedded SQLite under ./data', () => {
    const config = buildConfig(validateEnvironment({}));
    expect(config.port).toBe(8080);
    expect(config.database).toEqual({ type: 'sqlite', path: expect.stringMatching(/data\/livemig\.sqlite$/) });
    expect(config.tokens.size).toBe(0);
  });

  it('uses PostgreSQL for a postgres URL', () => {
    const config = buildConfig(validateEnvironment({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', PORT: '9000' }));
    expect(config.database).toEqual({ type: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/test' });
    expect(config.port).toBe(9000);
  });

  it('refuses both token sources at once', () => {
    expect(() => validateEnvironment({ LIVEMIG_TOKENS: 'abcd:operator', LIVEMIG_TOKENS_FILE: '/x' })).toThrow(/not both/);
  });

  it('lists every bad key in one message', () => {
    expect(() => validateEnvironment({ PORT: '-1', LOG_LEVEL: 'loud' })).toThrow(/PORT must not be less than 0.*LOG_LEVEL/);
  });
});
