import { describe, expect, it } from 'vitest';
import {
  assertName,
  checkDomainName,
  checkHostName,
  checkHostOrIp,
  checkInterfaceName,
  checkIpAddress,
  checkNetnsName,
  checkPortRange,
  InvalidNameError,
  isPort,
} from '../../../src/common/names';

const hostile = ['eth0; rm -rf /', '../', '..', '.', 'eth 0', '-i', '--help', '', 'a/b', 'eth0\n', '$(id)', '`id`', 'eth0|x', 'a\0b'];

describe('interface names', () => {
  it.each(['eth0', 'veth-lm1', 'br_tenant', 'vxlan.100', 'tap1a2b3c4d-5e', 'any', 'a'.repeat(15)])('accepts %j', (name) => {
    expect(checkInterfaceName(name)).toEqual({ ok: true });
  });
  it.each([...hostile, 'a'.repeat(16), '.hidden', 'eth0@if3', 'eth0:1'])('refuses %j', (name) => {
    expect(checkInterfaceName(name).ok).toBe(false);
  });
  it('refuses non-strings', () => {
    expect(checkInterfaceName(42)).toEqual({ ok: false, reason: 'interface name must be a string' });
  });
  it('explains the length limit', () => {
    expect(checkInterfaceName('a'.repeat(16))).toEqual({
      ok: false,
      reason: `interface name "${'a'.repeat(16)}" is longer than 15 characters`,
    });
  });
});

describe('namespace names', () => {
  it.each(['lm-hostA', 'lmt-agent-1', 'qrouter-0b1c', 'fip-6f1e', 'a'.repeat(64)])('accepts %j', (name) => {
    expect(checkNetnsName(name).ok).toBe(true);
  });
  it.each([...hostile, 'a'.repeat(65)])('refuses %j', (name) => {
    expect(checkNetnsName(name).ok).toBe(false);
  });
});

describe('host names (RFC 1123)', () => {
  it.each(['hostA', 'compute-01', 'node1.example.org', '1host', 'a'.repeat(63)])('accepts %j', (name) => {
    expect(checkHostName(name).ok).toBe(true);
  });
  it.each([...hostile, '-host', 'host-', 'host_a', 'a..b', 'a'.repeat(64), `${'a'.repeat(63)}.`.repeat(4) + 'a', 'höst'])(
    'refuses %j',
    (name) => {
      expect(checkHostName(name).ok).toBe(false);
    },
  );
});

describe('domain names', () => {
  it.each(['instance-0000001a', 'lm-guest', 'vm_1', 'guest.2'])('accepts %j', (name) => {
    expect(checkDomainName(name).ok).toBe(true);
  });
  it.each(hostile)('refuses %j', (name) => {
    expect(checkDomainName(name).ok).toBe(false);
  });
});

describe('addresses and ports', () => {
  it.each([
    ['192.0.2.11', true],
    ['2001:db8::1', true],
    ['192.0.2.256', false],
    ['192.0.2.1; id', false],
    ['hostA', false],
  ])('checkIpAddress(%j) is %s', (value, ok) => {
    expect(checkIpAddress(value).ok).toBe(ok);
  });
  it('checkHostOrIp takes either', () => {
    expect(checkHostOrIp('198.51.100.7').ok).toBe(true);
    expect(checkHostOrIp('hostB').ok).toBe(true);
    expect(checkHostOrIp('-oProxyCommand=x').ok).toBe(false);
  });
  it.each([
    [1, true],
    [65535, true],
    [0, false],
    [65536, false],
    [7.5, false],
    ['7', false],
  ])('isPort(%j) is %s', (value, ok) => {
    expect(isPort(value)).toBe(ok);
  });
  it.each([
    [{ from: 49152, to: 49215 }, true],
    [{ from: 49152, to: 49152 }, true],
    [{ from: 49215, to: 49152 }, false],
    [{ from: 0, to: 10 }, false],
  ])('checkPortRange(%j)', (range, ok) => {
    expect(checkPortRange(range).ok).toBe(ok);
  });
});

describe('assertName', () => {
  it('returns the name or throws with the reason', () => {
    expect(assertName(checkInterfaceName, 'eth0')).toBe('eth0');
    expect(() => assertName(checkInterfaceName, '-i')).toThrow(InvalidNameError);
  });
});
