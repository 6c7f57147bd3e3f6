import { describe, expect, it } from 'vitest';
import { checkInterfaceName, checkNetnsName } from '../../src/common/names';
import { guestCmdline, guestDomainXml, parseGuestCmdline } from '../../lab/domain-xml';
import { findCrash } from '../../lab/guest';
import { LIBVIRT_QEMU_PASSWD, libvirtdConf, qemuConf, withLine } from '../../lab/libvirt-config';
import { parseKeyValues } from '../../lab/migrate';
import { parsePing } from '../../lab/network';
import {
  ALL_LAB_HOSTS,
  CONTROLLER_FABRIC_PEER,
  CONTROLLER_IFACE,
  CONTROLLER_IP,
  EXTERNAL,
  EXTERNAL_CIDR,
  FABRIC_BRIDGES,
  HOST_IFACES,
  LAB_FLAVORS,
  LAB_HOST_CAPACITY,
  MGMT_CIDR,
  PROBER,
  TENANT_CIDR,
  TENANT2,
  TUNNEL_CIDR,
  fabricPeer,
  guestIp,
  guestMac,
  labHost,
  labHosts,
} from '../../lab/topology';

// The lab's plan and text builders, checked without touching the machine.

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base = '', lenText = ''] = cidr.split('/');
  const size = 2 ** (32 - Number(lenText));
  const start = ipToInt(base);
  return ipToInt(ip) >= start && ipToInt(ip) < start + size;
}

describe('lab topology', () => {
  it.each([
    [0, 'host-a', 'lm-host-a', '198.51.100.11', '198.51.100.141', 'qemu+tcp://198.51.100.11/system', 'http://198.51.100.11:7070'],
    [1, 'host-b', 'lm-host-b', '198.51.100.12', '198.51.100.142', 'qemu+tcp://198.51.100.12/system', 'http://198.51.100.12:7070'],
    [3, 'host-d', 'lm-host-d', '198.51.100.14', '198.51.100.144', 'qemu+tcp://198.51.100.14/system', 'http://198.51.100.14:7070'],
  ])('host %i is %s in %s, mgmt %s, vtep %s, %s, agent %s', (i, name, netns, mgmtIp, vtepIp, uri, agentUrl) => {
    expect(labHost(i)).toMatchObject({ name, netns, mgmtIp, vtepIp, libvirtUri: uri, agentUrl, migrationInterface: 'mig0' });
  });

  it('puts the prober on management (for its agent), tunnel and tenant networks', () => {
    expect(PROBER).toMatchObject({
      mgmtIp: '198.51.100.3',
      agentUrl: 'http://198.51.100.3:7070',
      vtepIp: '198.51.100.130',
      tenantIp: '203.0.113.2',
      tenantInterface: 'vxlan-1000',
    });
    expect(EXTERNAL).toMatchObject({ mgmtIp: '198.51.100.4', agentUrl: 'http://198.51.100.4:7070', ip: '192.0.2.129' });
  });

  // The machine running the lab owns 192.0.2.0/24 (eth0 and its default route):
  // whatever the root namespace must reach is outside it.
  it.each<[string, string]>([
    ['controller leg', CONTROLLER_IP],
    ['prober management', PROBER.mgmtIp],
    ['external agent management', EXTERNAL.mgmtIp],
    ...ALL_LAB_HOSTS.map((h): [string, string] => [`${h.name} management`, h.mgmtIp]),
  ])('%s %s is in the management /25, outside 192.0.2.0/24', (_what, ip) => {
    expect(inCidr(ip, MGMT_CIDR)).toBe(true);
    expect(inCidr(ip, '192.0.2.0/24')).toBe(false);
  });

  it.each([PROBER.vtepIp, ...ALL_LAB_HOSTS.map((h) => h.vtepIp)])('VTEP %s is in the tunnel /25, apart from management', (ip) => {
    expect(inCidr(ip, TUNNEL_CIDR)).toBe(true);
    expect(inCidr(ip, MGMT_CIDR)).toBe(false);
  });

  it('gives management, tunnel and tenant disjoint ranges', () => {
    const nets = [MGMT_CIDR, TUNNEL_CIDR, TENANT_CIDR, TENANT2.cidr, EXTERNAL_CIDR];
    for (const a of nets) for (const b of nets) if (a !== b) expect(inCidr(a.split('/')[0], b)).toBe(false);
  });

  it('has distinct management addresses for controller, prober and hosts', () => {
    const ips = [CONTROLLER_IP, PROBER.mgmtIp, EXTERNAL.mgmtIp, ...ALL_LAB_HOSTS.map((h) => h.mgmtIp)];
    expect(new Set(ips).size).toBe(ips.length);
  });

  it.each([0, 5, 1.5, -1])('refuses %s hosts', (n) => {
    expect(() => labHosts(n)).toThrow(RangeError);
  });

  it('gives every host a distinct host UUID, address and VTEP', () => {
    for (const key of ['hostUuid', 'mgmtIp', 'vtepIp', 'netns'] as const) {
      expect(new Set(ALL_LAB_HOSTS.map((h) => h[key])).size).toBe(ALL_LAB_HOSTS.length);
    }
    for (const h of ALL_LAB_HOSTS) expect(h.hostUuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('uses names the kernel accepts', () => {
    const ifaces = [
      CONTROLLER_IFACE,
      CONTROLLER_FABRIC_PEER,
      PROBER.mgmtIface,
      fabricPeer('mgmt', 'p'),
      ...Object.values(HOST_IFACES),
      ...Object.values(FABRIC_BRIDGES),
      ...ALL_LAB_HOSTS.flatMap((h) => [fabricPeer('mgmt', h.letter), fabricPeer('tunnel', h.letter), fabricPeer('external', h.letter)]),
    ];
    for (const name of ifaces) expect(checkInterfaceName(name)).toEqual({ ok: true });
    for (const h of ALL_LAB_HOSTS) expect(checkNetnsName(h.netns)).toEqual({ ok: true });
  });

  it.each([
    [0, '203.0.113.10', '02:6c:cb:00:71:0a'],
    [5, '203.0.113.15', '02:6c:cb:00:71:0f'],
  ])('guest %i gets %s and MAC %s', (i, ip, mac) => {
    expect(guestIp(i)).toBe(ip);
    expect(guestMac(ip)).toBe(mac);
  });

  it('lets four of the largest lab flavor fit on one host', () => {
    const largest = LAB_FLAVORS[LAB_FLAVORS.length - 1];
    if (!largest) throw new Error('no flavors');
    expect(4 * largest.vcpus).toBeLessThanOrEqual(LAB_HOST_CAPACITY.vcpus);
    expect(4 * largest.ramMiB).toBeLessThanOrEqual(LAB_HOST_CAPACITY.memoryMiB);
  });

  it('has flavors from the smallest bootable size up', () => {
    expect(LAB_FLAVORS.map((f) => [f.name, f.ramMiB])).toEqual([
      ['lab.nano', 96],
      ['lab.micro', 128],
      ['lab.tiny', 256],
      ['lab.small', 512],
    ]);
  });
});

describe('libvirt configuration', () => {
  const host = labHost(1);
  it.each([
    ['listen_tcp = 1'],
    ['listen_tls = 0'],
    ['listen_addr = "198.51.100.12"'],
    ['auth_tcp = "none"'],
    [`host_uuid = "${host.hostUuid}"`],
  ])('libvirtd.conf has %s', (line) => {
    expect(libvirtdConf(host).split('\n')).toContain(line);
  });

  it.each([
    ['migration_address = "198.51.100.12"'],
    ['migration_host = "198.51.100.12"'],
    ['security_driver = "none"'],
    ['cgroup_controllers = [ ]'],
    ['stdio_handler = "file"'],
  ])('qemu.conf has %s', (line) => {
    expect(qemuConf(host).split('\n')).toContain(line);
  });

  it.each([
    ['root:x:0:0::/root:/bin/sh\n', 'root:x:0:0::/root:/bin/sh\n' + LIBVIRT_QEMU_PASSWD + '\n'],
    ['root:x:0:0::/root:/bin/sh', 'root:x:0:0::/root:/bin/sh\n' + LIBVIRT_QEMU_PASSWD + '\n'],
    [`${LIBVIRT_QEMU_PASSWD}\n`, `${LIBVIRT_QEMU_PASSWD}\n`],
  ])('adds libvirt-qemu once to %j', (before, after) => {
    expect(withLine(before, LIBVIRT_QEMU_PASSWD)).toBe(after);
  });
});

describe('guest domain', () => {
  const spec = {
    name: 'g1',
    uuid: '11111111-2222-4333-8444-555555555555',
    memoryMiB: 256,
    vcpus: 1,
    ip: '203.0.113.10',
    mac: '02:6c:cb:00:71:0a',
    kernelPath: '/srv/k',
    initrdPath: '/srv/i',
    dirtyMiB: 64,
    dirtyPauseMs: 100,
  };

  it('is a TCG domain bridged to the tenant bridge, booting the lab kernel with its knobs', () => {
    const xml = guestDomainXml(spec);
    expect(xml).toContain("<domain type='qemu'>");
    expect(xml).toContain("<source bridge='brq1000'/>");
    expect(xml).toContain("<mac address='02:6c:cb:00:71:0a'/>");
    expect(xml).toContain('lm.ip=203.0.113.10/25 lm.gw=203.0.113.1 lm.dirty_mib=64 lm.dirty_pause_ms=100 lm.disk=0');
    expect(xml).not.toContain('<disk');
    expect(parseGuestCmdline(xml)).toEqual({ ip: '203.0.113.10' });
  });

  it('boots with page-table isolation and the millisecond user-space tick (QEMU 7.2 TCG loses guest writes in migration without them)', () => {
    const args = guestCmdline(spec).split(' ');
    expect(args).toContain('pti=on');
    expect(args).toContain('lm.tick_ms=1');
  });

  it('attaches the shared-storage disk only when asked', () => {
    const xml = guestDomainXml({ ...spec, diskPath: '/var/lib/livemig-lab/instances/g1.img' });
    expect(xml).toContain("<source file='/var/lib/livemig-lab/instances/g1.img'/>");
    expect(guestCmdline({ ...spec, diskPath: '/x' })).toContain('lm.disk=1');
  });

  it('escapes XML in names', () => {
    expect(guestDomainXml({ ...spec, name: "a'<b" })).toContain('<name>a&apos;&lt;b</name>');
  });
});

describe('parsers', () => {
  it.each([
    ['3 packets transmitted, 3 received, 0% packet loss, time 402ms', { sent: 3, received: 3, lossPct: 0 }],
    ['4 packets transmitted, 1 received, 75% packet loss', { sent: 4, received: 1, lossPct: 75 }],
    ['1 packets transmitted, 0 received, +1 errors, 100% packet loss', { sent: 1, received: 0, lossPct: 100 }],
    ['ping: connect: Network is unreachable', { sent: 0, received: 0, lossPct: 100 }],
  ])('ping summary %j', (text, expected) => {
    expect(parsePing(text)).toEqual(expected);
  });

  it.each([
    ['lm-heartbeat 1\nlm-heartbeat 2\n', undefined],
    ['lm-heartbeat 7\n[   12.1] kernel BUG at mm/slub.c:419!\n', '[   12.1] kernel BUG at mm/slub.c:419!'],
    [
      '[    9.0] Oops: general protection fault, probably for non-canonical address\n',
      '[    9.0] Oops: general protection fault, probably for non-canonical address',
    ],
    [
      '[    9.9] Kernel panic - not syncing: Fatal exception in interrupt\n',
      '[    9.9] Kernel panic - not syncing: Fatal exception in interrupt',
    ],
    // Linux 6.1 prints a GPF without "Oops" and may not panic: the guest stays up with a dead NIC.
    [
      'lm-heartbeat 3\n[    4.7] general protection fault, probably for non-canonical address 0x966b9fe15cfc7091: 0000 [#1] PREEMPT SMP NOPTI\n',
      '[    4.7] general protection fault, probably for non-canonical address 0x966b9fe15cfc7091: 0000 [#1] PREEMPT SMP NOPTI',
    ],
    [
      'lm-heartbeat 4\n[    8.3] virtio_net virtio0: output.0:id 1 is not a head!\nlm-heartbeat 5\n',
      '[    8.3] virtio_net virtio0: output.0:id 1 is not a head!',
    ],
  ])('crash in console %j', (text, line) => {
    expect(findCrash(text)).toBe(line);
  });

  it('reads domjobinfo output', () => {
    expect(parseKeyValues('Job type:         Completed\nTotal downtime:   73           ms\n')).toEqual({
      'Job type': 'Completed',
      'Total downtime': '73           ms',
    });
  });
});
