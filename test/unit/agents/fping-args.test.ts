import { describe, expect, it } from 'vitest';
import { buildPingArgs, parsePingSummary } from '../../../src/agents/agent/probes/fping-args';

const base = { target: '203.0.113.10', intervalMs: 10, interface: 'veth-probe', maxDurationSec: 3600 };

describe('buildPingArgs (fping)', () => {
  it('sends one echo per interval until the duration is used up', () => {
    expect(buildPingArgs(base)).toEqual(['-q', '-i', '10', '-p', '10', '-c', '360000', '-I', 'veth-probe', '203.0.113.10']);
  });
  it.each([
    [1, 60, '60000'],
    [250, 60, '240'],
    [1000, 1, '1'],
    [7, 1, '143'],
  ])('interval %d ms for %d s -> -c %s', (intervalMs, maxDurationSec, count) => {
    const args = buildPingArgs({ ...base, intervalMs, maxDurationSec });
    expect(args[args.indexOf('-c') + 1]).toBe(count);
    expect(args[args.indexOf('-p') + 1]).toBe(String(intervalMs));
  });
  it('adds the payload size', () => {
    expect(buildPingArgs({ ...base, payloadBytes: 100 })).toEqual(expect.arrayContaining(['-b', '100']));
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

describe('parsePingSummary (fping)', () => {
  it.each([
    [
      '203.0.113.10 : xmt/rcv/%loss = 200/195/2%, min/avg/max = 0.011/0.019/0.042\n',
      { transmitted: 200, received: 195, errors: 0, lossPct: 2 },
    ],
    ['203.0.113.10 : xmt/rcv/%loss = 30/0/100%\n', { transmitted: 30, received: 0, errors: 0, lossPct: 100 }],
    [
      'ICMP Host Unreachable from 198.18.240.1 for ICMP Echo sent to 203.0.113.10\n203.0.113.10 : xmt/rcv/%loss = 87/80/8%, min/avg/max = 0.014/0.020/0.037\n',
      { transmitted: 87, received: 80, errors: 0, lossPct: 8 },
    ],
  ])('parses %j', (stderr, summary) => {
    expect(parsePingSummary(stderr)).toEqual(summary);
  });
  it('returns null without a summary', () => {
    expect(parsePingSummary('binding to specific interface (SO_BINTODEVICE): No such device\n')).toBeNull();
  });
});
