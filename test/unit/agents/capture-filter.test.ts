import { describe, expect, it } from 'vitest';
import { buildMigrationBpf, buildProbeBpf, InvalidFilterError } from '../../../src/agents/agent/captures/tcpdump/capture-filter';

describe('buildMigrationBpf', () => {
  it.each([
    [{ migrationPorts: { from: 49152, to: 49215 }, rpcPorts: [16509] }, 'tcp and (portrange 49152-49215 or port 16509)'],
    [{ migrationPorts: { from: 49152, to: 49152 }, rpcPorts: [] }, 'tcp and (port 49152)'],
    [
      { migrationPorts: { from: 49152, to: 49215 }, rpcPorts: [16514, 16509, 16509] },
      'tcp and (portrange 49152-49215 or port 16509 or port 16514)',
    ],
  ])('%j -> %s', (filter, bpf) => {
    expect(buildMigrationBpf(filter)).toBe(bpf);
  });

  it.each([
    { migrationPorts: { from: 49215, to: 49152 }, rpcPorts: [] },
    { migrationPorts: { from: 0, to: 49152 }, rpcPorts: [] },
    { migrationPorts: { from: 49152, to: 49215 }, rpcPorts: [70000] },
    { migrationPorts: { from: 49152, to: 49215 }, rpcPorts: [Number.NaN] },
  ])('refuses %j', (filter) => {
    expect(() => buildMigrationBpf(filter)).toThrow(InvalidFilterError);
  });
});

describe('buildProbeBpf', () => {
  it.each([
    [{ target: '203.0.113.10' }, '(icmp and host 203.0.113.10)'],
    [{ target: '203.0.113.10', tcpEchoPort: 7 }, '(icmp and host 203.0.113.10) or (tcp port 7 and host 203.0.113.10)'],
    [{ target: '2001:db8::10' }, '(icmp6 and host 2001:db8::10)'],
  ])('%j -> %s', (filter, bpf) => {
    expect(buildProbeBpf(filter)).toBe(bpf);
  });

  it.each([{ target: 'guest.example' }, { target: '203.0.113.10 or port 22' }, { target: '203.0.113.10', tcpEchoPort: 0 }])(
    'refuses %j',
    (filter) => {
      expect(() => buildProbeBpf(filter)).toThrow(InvalidFilterError);
    },
  );
});
