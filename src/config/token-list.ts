import { isRole, type Role } from './role';

export const MIN_TOKEN_LENGTH = 16;

/** Tokens as configured: `token:role` pairs separated by commas or new lines. */
export function parseTokenList(text: string): Map<string, Role> {
  const tokens = new Map<string, Role>();
  const entries = text
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter((e) => e.length > 0 && !e.startsWith('#'));
  for (const entry of entries) {
    const sep = entry.lastIndexOf(':');
    if (sep <= 0) throw new Error(`token entry "${redact(entry)}" is not of the form token:role`);
    const token = entry.slice(0, sep);
    const role = entry.slice(sep + 1);
    if (!isRole(role)) throw new Error(`token entry "${redact(token)}:${role}" has unknown role "${role}" (admin, operator or analyst)`);
    // Short tokens are guessed; 16 characters of a random alphabet are out of reach.
    if (token.length < MIN_TOKEN_LENGTH) throw new Error(`token "${redact(token)}" is shorter than ${MIN_TOKEN_LENGTH} characters`);
    if (/\s/.test(token)) throw new Error(`token "${redact(token)}" contains white space`);
    if (tokens.has(token)) throw new Error(`token "${redact(token)}" is listed twice`);
    tokens.set(token, role);
  }
  return tokens;
}

// Error messages must never print a whole secret.
function redact(token: string): string {
  return token.length <= 4 ? '****' : `${token.slice(0, 2)}…${token.slice(-1)}`;
}
