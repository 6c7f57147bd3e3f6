import { isIP } from 'node:net';
import { checkHostName, isPort } from '../../common/names';
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
