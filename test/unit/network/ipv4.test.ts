import { describe, expect, it } from 'vitest';
import { cidrProblem, cidrsOverlap, firstFree, isHostAddress, numberToIp, ipToNumber, parseCidr } from '../../../src/network/core/ipv4';
import { isUnicastMac, portMac } from '../../../src/network/core/mac';

describe('ipv4', () => {
  it('round-trips addresses', () => {
    expect(numberToIp(ipToNumber('203.0.113.255'))).toBe('203.0.113.255');
    expect(ipToNumber('0.0.1.2')).toBe(258);
    expect(() => ipToNumber('10.0.0.256')).toThrow(RangeError);
  });

  it('says why a CIDR is refused', () => {
    expect(cidrProblem('10.0.0.0/24')).toBeNull();
    expect(cidrProblem('10.0.0.1/24')).toMatch(/10\.0\.0\.0\/24/);
    expect(cidrProblem('10.0.0.0/31')).toMatch(/1\.\.30/);
    expect(cidrProblem('10.0.0.0')).toMatch(/IPv4 CIDR/);
    expect(cidrProblem('fd00::/64')).toMatch(/IPv4 CIDR/);
  });

  it('knows host addresses, overlaps and the first free address', () => {
    const cidr = parseCidr('10.0.0.0/29');
    expect(isHostAddress(cidr, '10.0.0.1')).toBe(true);
    expect(isHostAddress(cidr, '10.0.0.0')).toBe(false);
    expect(isHostAddress(cidr, '10.0.0.7')).toBe(false);
    expect(isHostAddress(cidr, '10.0.0.8')).toBe(false);
    expect(cidrsOverlap(cidr, parseCidr('10.0.0.4/30'))).toBe(true);
    expect(cidrsOverlap(cidr, parseCidr('10.0.0.8/30'))).toBe(false);
    expect(firstFree('10.0.0.2', '10.0.0.4', new Set(['10.0.0.2']))).toBe('10.0.0.3');
    expect(firstFree('10.0.0.2', '10.0.0.3', new Set(['10.0.0.2', '10.0.0.3']))).toBeNull();
  });
});

describe('mac', () => {
  it('makes Neutron port MACs', () => {
    expect(portMac([0, 0x1f, 0x2ab])).toBe('fa:16:3e:00:1f:ab');
    expect(isUnicastMac('fa:16:3e:00:1f:ab')).toBe(true);
    expect(isUnicastMac('01:00:5e:00:00:01')).toBe(false);
    expect(isUnicastMac('FA:16:3E:00:1F:AB')).toBe(false);
  });
});
