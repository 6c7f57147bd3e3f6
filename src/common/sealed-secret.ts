import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Sealed values start with this; anything else is a plain value stored before sealing existed. */
export const SEALED_PREFIX = 'enc:v1:';

/** AES-256-GCM with a fresh 96-bit IV: `enc:v1:<iv>:<tag>:<ciphertext>`, base64url parts. */
export function seal(plain: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${SEALED_PREFIX}${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${data.toString('base64url')}`;
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(SEALED_PREFIX);
}

/** Throws when the value was sealed with another key or altered. */
export function unseal(stored: string, key: Buffer): string {
  if (!isSealed(stored)) return stored;
  const [iv = '', tag = '', data = ''] = stored.slice(SEALED_PREFIX.length).split(':');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new Error('a sealed secret cannot be opened: wrong LIVEMIG_SECRET_KEY or altered data', { cause: err });
  }
}
