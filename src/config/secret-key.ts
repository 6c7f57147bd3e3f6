import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The key that seals secrets at rest (agent tokens); process-wide because column transformers have no DI. */
let key: Buffer | undefined;

const KEY_FILE_NAME = 'secret.key';

/**
 * LIVEMIG_SECRET_KEY (32 bytes as 64 hex digits or base64), else LIVEMIG_SECRET_KEY_FILE (the same text),
 * else `<data dir>/secret.key`, generated 0600 on first start. Replicas must share one key: set it.
 */
export function loadSecretKey(env: Record<string, unknown>, dataDir: string): Buffer {
  if (typeof env.LIVEMIG_SECRET_KEY === 'string' && env.LIVEMIG_SECRET_KEY !== '') {
    return decodeKey(env.LIVEMIG_SECRET_KEY, 'LIVEMIG_SECRET_KEY');
  }
  if (typeof env.LIVEMIG_SECRET_KEY_FILE === 'string' && env.LIVEMIG_SECRET_KEY_FILE !== '') {
    return decodeKey(readKeyFile(env.LIVEMIG_SECRET_KEY_FILE, 'LIVEMIG_SECRET_KEY_FILE'), 'LIVEMIG_SECRET_KEY_FILE');
  }
  const file = join(dataDir, KEY_FILE_NAME);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  return decodeKey(readKeyFile(file, KEY_FILE_NAME), file);
}

function readKeyFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`invalid configuration: ${what} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, {
      cause: err,
    });
  }
}

function decodeKey(text: string, what: string): Buffer {
  const t = text.trim();
  const decoded = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (decoded.length !== 32) throw new Error(`invalid configuration: ${what} must hold 32 bytes (64 hex digits or base64)`);
  return decoded;
}

let source: (() => Buffer) | undefined;

/** Where the key comes from; read on first use, so a process that seals nothing never creates a key file. */
export function setSecretKeySource(next: () => Buffer): void {
  source = next;
  key = undefined;
}

export function secretKey(): Buffer {
  if (key === undefined) {
    if (source === undefined) throw new Error('the secret key is not configured (the configuration was not built)');
    key = source();
  }
  return key;
}
