import { isIP } from 'node:net';
import { checkHostName, checkInterfaceName, isPort } from '../../common/names';
import { checkAbsolutePath } from './storage/marker-path';

export interface ListenAddress {
  address: string;
  port: number;
}

/** "192.0.2.11:7070" or "[2001:db8::1]:7070"; the agent never listens on a name. */
export function parseListenAddress(value: string): ListenAddress {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(value) ?? /^([^:]+):(\d+)$/.exec(value);
  if (!match) throw new RangeError(`--listen "${value}" must be ADDRESS:PORT`);
  const [, address = '', portText = ''] = match;
  const port = Number(portText);
  if (isIP(address) === 0) throw new RangeError(`--listen address "${address}" is not an IP address`);
  if (!isPort(port)) throw new RangeError(`--listen port "${portText}" is not a port`);
  return { address, port };
}

/** The token file holds one token on its first line; blank files are refused. */
export function parseTokenFile(text: string): string {
  const token = text.split('\n')[0]?.trim() ?? '';
  if (token.length < 16) throw new RangeError('the token file must hold one token of at least 16 characters');
  if (/\s/.test(token)) throw new RangeError('the token must not contain spaces');
  return token;
}

export function requireHostName(value: string): string {
  const check = checkHostName(value);
  if (!check.ok) throw new RangeError(`--host: ${check.reason}`);
  return value;
}

export function requireAbsolutePath(value: string, option: string): string {
  const check = checkAbsolutePath(value, option);
  if (!check.ok) throw new RangeError(check.reason);
  return check.path;
}

export function requireInterfaceName(value: string, option: string): string {
  const check = checkInterfaceName(value);
  if (!check.ok) throw new RangeError(`${option}: ${check.reason}`);
  return value;
}

/** Milliseconds between network reconciliations; 0 turns them off. */
export function parseReconcileInterval(value: string): number {
  const ms = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(ms) || (ms !== 0 && ms < 100) || ms > 3_600_000) {
    throw new RangeError(`--reconcile-interval-ms "${value}" must be 0 (off) or 100 to 3600000`);
  }
  return ms;
}

/** Short, lower-case, ends with "-": it is glued in front of qrouter-/fip- names. */
export function requireNetnsPrefix(value: string): string {
  if (value !== '' && !/^[a-z0-9][a-z0-9-]{0,14}-$/.test(value)) {
    throw new RangeError(`--netns-prefix "${value}" must be up to 16 lower-case letters, digits and "-", ending with "-"`);
  }
  return value;
}

/** --max-captures: captures running at once (1 to 64). */
export function parseMaxCaptures(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 64) throw new RangeError(`--max-captures "${value}" must be 1 to 64`);
  return n;
}

/** --max-capture-gib: GiB all kept and running captures may hold (1 to 4096); returned in bytes. */
export function parseMaxCaptureBytes(value: string): number {
  const gib = Number(value);
  if (!/^\d+$/.test(value) || gib < 1 || gib > 4096) throw new RangeError(`--max-capture-gib "${value}" must be 1 to 4096`);
  return gib * 1024 ** 3;
}
