import { describe, expect, it } from 'vitest';
import { buildTcpdumpArgs, maxPacketsFor } from '../../../src/agents/agent/captures/tcpdump/tcpdump-args';
import { InvalidNameError } from '../../../src/common/names';

const base = {
  interface: 'veth-mig',
  file: '/var/lib/livemig-agent/captures/x.pcap',
  snaplenBytes: 128,
  nanosecond: true,
  maxSizeBytes: 256 * 1024 * 1024,
};

describe('buildTcpdumpArgs', () => {
  it('builds the migration capture command line', () => {
    expect(buildTcpdumpArgs({ ...base, bpf: 'tcp and (portrange 49152-49215 or port 16509)' })).toEqual([
      '-i',
      'veth-mig',
      '-n',
      '-s',
      '128',
      '-U',
      '--immediate-mode',
      '-w',
      '/var/lib/livemig-agent/captures/x.pcap',
      '-c',
      String(maxPacketsFor(256 * 1024 * 1024, 128)),
      '--time-stamp-precision=nano',
      '--',
      'tcp and (portrange 49152-49215 or port 16509)',
    ]);
  });

  it('leaves out the precision flag for microsecond captures and the filter when there is none', () => {
    const args = buildTcpdumpArgs({ ...base, nanosecond: false });
    expect(args).not.toContain('--time-stamp-precision=nano');
    expect(args).not.toContain('--');
    expect(args.at(-2)).toBe('-c');
  });

  it('passes a kernel buffer size when asked', () => {
    expect(buildTcpdumpArgs({ ...base, bufferKiB: 8192 })).toEqual(expect.arrayContaining(['-B', '8192']));
  });

  it.each(['-i', 'eth0; rm -rf /', '../eth0', 'eth 0'])('refuses interface %j', (name) => {
    expect(() => buildTcpdumpArgs({ ...base, interface: name })).toThrow(InvalidNameError);
  });

  it.each([
    [{ file: 'relative.pcap' }, /absolute/],
    [{ snaplenBytes: 10 }, /snaplen/],
    [{ snaplenBytes: 128.5 }, /snaplen/],
    [{ maxSizeBytes: 100 }, /cannot hold/],
  ])('refuses %j', (override, message) => {
    expect(() => buildTcpdumpArgs({ ...base, ...override })).toThrow(message);
  });
});

describe('maxPacketsFor', () => {
  it.each([
    // 24-byte file header, then 16-byte record headers plus at most snaplen bytes each
    [24 + 144, 128, 1],
    [24 + 144 * 10 + 143, 128, 10],
    [256 * 1024 * 1024, 128, Math.floor((256 * 1024 * 1024 - 24) / 144)],
    [1024 * 1024, 65535, 15],
  ])('a %d-byte budget at snaplen %d holds %d packets', (bytes, snaplen, packets) => {
    expect(maxPacketsFor(bytes, snaplen)).toBe(packets);
  });

  it('never lets the worst-case file exceed the budget', () => {
    for (const budget of [1_000, 65_536, 10_000_000]) {
      const n = maxPacketsFor(budget, 128);
      expect(24 + n * 144).toBeLessThanOrEqual(budget);
      expect(24 + (n + 1) * 144).toBeGreaterThan(budget);
    }
  });
});
