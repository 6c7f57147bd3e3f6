import { isIP } from 'node:net';
import { ValidateBy, type ValidationOptions } from 'class-validator';

// Names end up as arguments of ip, tcpdump, ping and virsh. Argument arrays
// already stop shell injection; these checks stop option injection ("-i"),
// path tricks ("../") and names the kernel would refuse anyway.

/** Linux IFNAMSIZ is 16 including the terminating NUL. */
export const INTERFACE_NAME_MAX = 15;
export const NETNS_NAME_MAX = 64;
export const HOST_NAME_MAX = 253;
export const DOMAIN_NAME_MAX = 64;

const INTERFACE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const NETNS_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const DOMAIN_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;

export type NameCheck = { ok: true } | { ok: false; reason: string };

const OK: NameCheck = { ok: true };
const fail = (reason: string): NameCheck => ({ ok: false, reason });

function checkSimpleName(kind: string, value: unknown, max: number, pattern: RegExp): NameCheck {
  if (typeof value !== 'string') return fail(`${kind} must be a string`);
  if (value.length === 0) return fail(`${kind} must not be empty`);
  if (value.length > max) return fail(`${kind} "${value}" is longer than ${max} characters`);
  if (value === '.' || value === '..') return fail(`${kind} "${value}" is not allowed`);
  if (!pattern.test(value)) {
    return fail(`${kind} "${value}" may only contain letters, digits, "_", "." and "-" and must not start with "-" or "."`);
  }
  return OK;
}

export function checkInterfaceName(value: unknown): NameCheck {
  return checkSimpleName('interface name', value, INTERFACE_NAME_MAX, INTERFACE_NAME);
}

export function checkNetnsName(value: unknown): NameCheck {
  return checkSimpleName('namespace name', value, NETNS_NAME_MAX, NETNS_NAME);
}

/** libvirt domain names as livemig accepts them (Nova uses instance-0000abcd). */
export function checkDomainName(value: unknown): NameCheck {
  return checkSimpleName('domain name', value, DOMAIN_NAME_MAX, DOMAIN_NAME);
}

/** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens. */
export function checkHostName(value: unknown): NameCheck {
  if (typeof value !== 'string') return fail('host name must be a string');
  if (value.length === 0) return fail('host name must not be empty');
  if (value.length > HOST_NAME_MAX) return fail(`host name is longer than ${HOST_NAME_MAX} characters`);
  const bad = value.split('.').find((label) => !HOST_LABEL.test(label));
  if (bad !== undefined) return fail(`host name "${value}" has an invalid label "${bad}" (RFC 1123)`);
  return OK;
}

export function checkIpAddress(value: unknown): NameCheck {
  if (typeof value !== 'string' || isIP(value) === 0) return fail(`"${String(value)}" is not an IPv4 or IPv6 address`);
  return OK;
}

/** A host name or an IP literal: where an agent or a probe target may live. */
export function checkHostOrIp(value: unknown): NameCheck {
  if (typeof value === 'string' && isIP(value) !== 0) return OK;
  return checkHostName(value);
}

export function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

export interface PortRange {
  from: number;
  to: number;
}

export function checkPortRange(range: PortRange): NameCheck {
  if (!isPort(range.from) || !isPort(range.to)) return fail('ports must be integers from 1 to 65535');
  if (range.from > range.to) return fail(`port range ${range.from}-${range.to} is reversed`);
  return OK;
}

export const isInterfaceName = (v: unknown): v is string => checkInterfaceName(v).ok;
export const isNetnsName = (v: unknown): v is string => checkNetnsName(v).ok;
export const isHostName = (v: unknown): v is string => checkHostName(v).ok;
export const isDomainName = (v: unknown): v is string => checkDomainName(v).ok;
export const isHostOrIp = (v: unknown): v is string => checkHostOrIp(v).ok;

/** Throws with the reason; for adapters that take names from code rather than from a DTO. */
export function assertName(check: (v: unknown) => NameCheck, value: unknown): string {
  const result = check(value);
  if (!result.ok) throw new InvalidNameError(result.reason);
  return value as string;
}

export class InvalidNameError extends Error {
  override readonly name = 'InvalidNameError';
}

function decorator(name: string, check: (v: unknown) => NameCheck, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value: unknown) => check(value).ok,
        defaultMessage: (args) => {
          const result = check(args?.value);
          return result.ok ? `${args?.property ?? 'value'} is invalid` : `${args?.property}: ${result.reason}`;
        },
      },
    },
    options,
  );
}

export const IsInterfaceName = (o?: ValidationOptions) => decorator('isInterfaceName', checkInterfaceName, o);
export const IsNetnsName = (o?: ValidationOptions) => decorator('isNetnsName', checkNetnsName, o);
export const IsHostName = (o?: ValidationOptions) => decorator('isHostName', checkHostName, o);
export const IsHostOrIp = (o?: ValidationOptions) => decorator('isHostOrIp', checkHostOrIp, o);
export const IsDomainName = (o?: ValidationOptions) => decorator('isDomainName', checkDomainName, o);
