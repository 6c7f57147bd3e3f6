import { describe, expect, it } from 'vitest';
import { parseTcpdumpStats, TCPDUMP_LISTENING, tcpdumpErrorReason } from '../../../src/agents/agent/captures/tcpdump/tcpdump-stats';

describe('parseTcpdumpStats', () => {
  it('reads the counters tcpdump prints on exit', () => {
    const stderr = [
      'tcpdump: listening on veth-mig, link-type EN10MB (Ethernet), snapshot length 128 bytes',
      '2301 packets captured',
      '2310 packets received by filter',
      '0 packets dropped by kernel',
      '',
    ].join('\n');
    expect(parseTcpdumpStats(stderr)).toEqual({
      packetsCaptured: 2301,
      packetsReceivedByFilter: 2310,
      packetsDroppedByKernel: 0,
      packetsDroppedByInterface: undefined,
    });
  });

  it('handles the singular and the interface drop line', () => {
    const stats = parseTcpdumpStats(
      '1 packet captured\n1 packet received by filter\n3 packets dropped by kernel\n2 packets dropped by interface\n',
    );
    expect(stats).toEqual({ packetsCaptured: 1, packetsReceivedByFilter: 1, packetsDroppedByKernel: 3, packetsDroppedByInterface: 2 });
  });

  it('reports nothing when tcpdump was killed before printing', () => {
    expect(parseTcpdumpStats('tcpdump: listening on eth0\n').packetsCaptured).toBeUndefined();
  });
});

describe('tcpdump start-up lines', () => {
  it('recognises the listening line', () => {
    expect(TCPDUMP_LISTENING.test('tcpdump: verbose output suppressed\ntcpdump: listening on lo, link-type EN10MB')).toBe(true);
    expect(TCPDUMP_LISTENING.test('tcpdump: lmt0: No such device exists')).toBe(false);
  });

  it('extracts the reason of a failed start', () => {
    expect(tcpdumpErrorReason('tcpdump: lmt0: No such device exists\n(SIOCGIFHWADDR: No such device)\n')).toBe(
      'tcpdump: lmt0: No such device exists',
    );
    expect(tcpdumpErrorReason('')).toBe('tcpdump exited without a message');
  });
});
