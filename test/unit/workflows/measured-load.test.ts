import { describe, expect, it } from 'vitest';
import { guestLoads, nodeCpuBusy } from '../../../src/migration/load/measured-load';
import { rootShaperBitsPerSec, sysfsIsThisNamespace, sysfsSpeedBitsPerSec } from '../../../src/agents/agent/links/tc-rate';
import { findGuestRamMapping, guestRamResidentKiB, isQemuOfDomain, nonZeroPages } from '../../../src/agents/agent/guests/guest-ram';

describe('guestLoads', () => {
  const sizes = new Map([
    ['busy', { vcpus: 2, ramMiB: 1024 }],
    ['idle', { vcpus: 1, ramMiB: 512 }],
  ]);

  it('cpu.time over the interval and the vCPUs; RSS over the flavor RAM, both capped at 1', () => {
    const loads = guestLoads(
      {
        atMs: 0,
        nodeCpu: {},
        domains: [
          { name: 'busy', cpuTimeNs: 0, rssKiB: 0 },
          { name: 'idle', cpuTimeNs: 5e9 },
        ],
      },
      {
        atMs: 1000,
        nodeCpu: {},
        domains: [
          { name: 'busy', cpuTimeNs: 1.5e9, rssKiB: 512 * 1024 },
          { name: 'idle', cpuTimeNs: 5e9, rssKiB: 2048 * 1024 },
          { name: 'unknown', cpuTimeNs: 1 },
        ],
      },
      sizes,
    );
    expect(Object.fromEntries(loads)).toEqual({
      busy: { cpuUtilisation: 0.75, ramUtilisation: 0.5 },
      idle: { cpuUtilisation: 0, ramUtilisation: 1 },
    });
  });

  it('leaves a figure out when libvirt did not give both samples', () => {
    const loads = guestLoads(
      { atMs: 0, nodeCpu: {}, domains: [] },
      { atMs: 1000, nodeCpu: {}, domains: [{ name: 'busy', cpuTimeNs: 1e9 }] },
      sizes,
    );
    expect(loads.get('busy')).toEqual({ cpuUtilisation: null, ramUtilisation: null });
  });
});

describe('nodeCpuBusy', () => {
  it('kernel and user over everything', () => {
    expect(
      nodeCpuBusy({ kernelNs: 0, userNs: 0, idleNs: 0, iowaitNs: 0 }, { kernelNs: 1e9, userNs: 2e9, idleNs: 6e9, iowaitNs: 1e9 }),
    ).toBeCloseTo(0.3, 9);
    expect(nodeCpuBusy({}, {})).toBeNull();
  });
});

describe('migration link readings', () => {
  it('the root tbf rate of tc -j (bytes/s) in bits/s; nothing for other qdiscs', () => {
    expect(
      rootShaperBitsPerSec(
        '[{"kind":"tbf","handle":"802a:","root":true,"refcnt":3,"options":{"rate":5000000,"burst":32765,"lat":100000}}]',
      ),
    ).toBe(40e6);
    expect(rootShaperBitsPerSec('[{"kind":"noqueue","handle":"0:","root":true,"refcnt":2,"options":{}}]')).toBeNull();
    expect(rootShaperBitsPerSec('not json')).toBeNull();
  });

  it("trusts sysfs only when it lists this namespace's interfaces", () => {
    const ip = '[{"ifindex":1,"ifname":"lo"},{"ifindex":7,"ifname":"mig0"}]';
    expect(sysfsIsThisNamespace(ip, ['mig0', 'lo'])).toBe(true);
    expect(sysfsIsThisNamespace(ip, ['lo', 'eth0', 'mig0'])).toBe(false);
    expect(sysfsIsThisNamespace('garbage', ['lo'])).toBe(false);
  });

  it('sysfs speed in Mb/s; unknown speeds are null', () => {
    expect(sysfsSpeedBitsPerSec('10000\n')).toBe(10e9);
    expect(sysfsSpeedBitsPerSec('-1')).toBeNull();
    expect(sysfsSpeedBitsPerSec('')).toBeNull();
  });
});

describe('guest RAM resident on the host', () => {
  const smaps = [
    '55d0c0000000-55d0c0100000 r-xp 00000000 08:01 1234 /usr/bin/qemu-system-x86_64',
    'Size:               1024 kB',
    'Rss:                 900 kB',
    '7f3c67e00000-7f3c6fe00000 rw-p 00000000 00:00 0 ',
    'Size:             131072 kB',
    'Rss:               92160 kB',
    '7f3c78000000-7f3cb7fff000 rwxp 00000000 00:00 0 ',
    'Size:            1048572 kB',
    'Rss:               30720 kB',
  ].join('\n');

  it("the Rss of the anonymous read-write mapping the size of the guest's RAM", () => {
    expect(guestRamResidentKiB(smaps, 128 * 1024)).toBe(92160);
    expect(guestRamResidentKiB(smaps, 256 * 1024)).toBeNull();
    expect(findGuestRamMapping(smaps, 128 * 1024)).toEqual({ start: 0x7f3c67e00000, sizeKiB: 131072, rssKiB: 92160 });
  });

  it('counts the pages that hold a non-zero byte, as QEMU sends them in full', () => {
    const buf = Buffer.alloc(4 * 4096);
    buf[4096 + 17] = 1;
    buf[3 * 4096 + 4095] = 0xaa;
    expect(nonZeroPages(buf)).toBe(2);
    expect(nonZeroPages(Buffer.alloc(4096 + 100))).toBe(0);
  });

  it("finds the guest's QEMU by libvirt's -name guest=<domain> argument", () => {
    const cmdline = ['/usr/bin/qemu-system-x86_64', '-name', 'guest=pred-2,debug-threads=on', '-m', '128'].join('\0');
    expect(isQemuOfDomain(cmdline, 'pred-2')).toBe(true);
    expect(isQemuOfDomain(cmdline, 'pred')).toBe(false);
    expect(isQemuOfDomain('/bin/sh\0-c', 'pred-2')).toBe(false);
  });
});
