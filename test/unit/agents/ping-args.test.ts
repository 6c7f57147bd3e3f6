import { describe, expect, it } from 'vitest';
import { buildPingArgs, parsePingSummary } from '../../../src/agents/agent/probes/ping-args';

const base = { target: '203.0.113.10', intervalMs: 10, interface: 'veth-probe', deadlineSec: 3600 };

describe('buildPingArgs', () => {
  it('builds a quiet numeric ping at the interval in seconds', () => {
    expect(buildPingArgs(base)).toEqual(['-n', '-q', '-i', '0.010', '-I', 'veth-probe', '-w', '3600', '203.0.113.10']);
  });
  it.each([
    [1, '0.001'],
    [250, '0.250'],
    [1000, '1.000'],
  ])('interval %d ms -> -i %s', (intervalMs, seconds) => {
    expect(buildPingArgs({ ...base, intervalMs })[3]).toBe(seconds);
  });
  it('adds the payload size', () => {
    expect(buildPingArgs({ ...base, payloadBytes: 100 })).toEqual(expect.arrayContaining(['-s', '100']));
  });
  it.each([
    [{ intervalMs: 0 }, /interval/],
    [{ intervalMs: 1001 }, /interval/],
    [{ intervalMs: 2.5 }, /interval/],
    [{ target: '-f' }, /not an IP/],
    [{ target: 'guest; reboot' }, /not an IP/],
    [{ interface: '-c1' }, /interface name/],
  ])('refuses %j', (override, message) => {
    expect(() => buildPingArgs({ ...base, ...override })).toThrow(message);
  });
});

describe('parsePingSummary', () => {
  it.each([
    [
      '--- 203.0.113.10 ping statistics ---\n200 packets transmitted, 195 received, 2.5% packet loss, time 2012ms\n',
      { transmitted: 200, received: 195, errors: 0, lossPercent: 2.5 },
    ],
    [
      '30 packets transmitted, 0 received, +30 errors, 100% packet loss, time 312ms\n',
      { transmitted: 30, received: 0, errors: 30, lossPercent: 100 },
    ],
    ['10 packets transmitted, 11 received, +1 duplicates, 0% packet loss, time 9ms\n', { transmitted: 10, received: 11, errors: 0, lossPercent: 0 }],
  ])('parses %j', (stdout, summary) => {
    expect(parsePingSummary(stdout)).toEqual(summary);
  });
  it('returns null without a summary', () => {
    expect(parsePingSummary('PING 203.0.113.10 (203.0.113.10) 56(84) bytes of data.\n')).toBeNull();
  });
});
