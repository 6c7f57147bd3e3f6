import { createHash, timingSafeEqual } from 'node:crypto';
import type { Role } from '../config/role';

/** Looks a bearer token up by its digest, comparing digests in constant time. */
export class TokenAuthenticator {
  private readonly entries: { digest: Buffer; role: Role }[];

  constructor(tokens: ReadonlyMap<string, Role>) {
    this.entries = [...tokens].map(([token, role]) => ({ digest: digest(token), role }));
  }

  get configured(): boolean {
    return this.entries.length > 0;
  }

  roleOf(token: string): Role | undefined {
    const d = digest(token);
    let found: Role | undefined;
    for (const entry of this.entries) if (timingSafeEqual(entry.digest, d)) found = entry.role;
    return found;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
