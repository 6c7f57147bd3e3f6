// Issue 16, finding 4: secrets and the key that seals them.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSealed, seal, unseal } from '../../../src/common/sealed-secret';
import { loadSecretKey } from '../../../src/config/secret-key';

describe('secrets at rest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'livemig-secret-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('generates a 0600 key file in a 0700 data dir when no key is configured, and reuses it', () => {
    const dataDir = join(dir, 'data');
    const key = loadSecretKey({}, dataDir);
    expect(key).toHaveLength(32);
    expect(statSync(join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(loadSecretKey({}, dataDir).equals(key)).toBe(true);
    expect(readFileSync(join(dataDir, 'secret.key'), 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('takes LIVEMIG_SECRET_KEY and refuses a short one', () => {
    expect(loadSecretKey({ LIVEMIG_SECRET_KEY: 'ab'.repeat(32) }, dir).toString('hex')).toBe('ab'.repeat(32));
    expect(() => loadSecretKey({ LIVEMIG_SECRET_KEY: 'short' }, dir)).toThrow(/32 bytes/);
  });

  it('seals with AES-256-GCM: no plain text, fresh IV, tampering and a wrong key detected', () => {
    const key = Buffer.alloc(32, 7);
    const sealed = seal('agent-secret-token', key);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('agent-secret-token');
    expect(seal('agent-secret-token', key)).not.toBe(sealed);
    expect(unseal(sealed, key)).toBe('agent-secret-token');
    expect(() => unseal(sealed, Buffer.alloc(32, 8))).toThrow(/cannot be opened/);
    expect(() => unseal(`${sealed.slice(0, -2)}AA`, key)).toThrow(/cannot be opened/);
    expect(unseal('plain-from-before', key)).toBe('plain-from-before');
  });
});
