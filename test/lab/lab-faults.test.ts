import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LAB_FLAVORS,
  PROBER,
  acquireLabLock,
  bootGuest,
  checkGuestCrash,
  destroyGuest,
  execIn,
  killLibvirtd,
  labDown,
  labStatus,
  labUp,
  libvirtdPid,
  ping,
  setMigrationLink,
  shapeMigrationLink,
  startLibvirtd,
  topology,
  virsh,
  whereIsGuest,
} from '../../lab';

// The lab's fault knobs, which later fault tests build on: a crashed libvirtd
// leaves its guests running and a restarted one takes them back; the migration
// link can be shaped and cut.

const GUEST = 'lm-faults-1';
const GUEST_IP = '203.0.113.21';

describe('lab fault knobs', () => {
  let releaseLab: () => void = () => undefined;
  let broughtUp = false;

  beforeAll(async () => {
    releaseLab = await acquireLabLock();
    broughtUp = !(await labUp({ hosts: 2 })).alreadyUp;
  });

  afterAll(async () => {
    try {
      await destroyGuest(GUEST);
      if (broughtUp) await labDown();
    } finally {
      releaseLab();
    }
  });

  it('boots the smallest flavor (lab.nano)', async () => {
    const nano = LAB_FLAVORS.find((f) => f.name === 'lab.nano');
    const guest = await bootGuest({ name: GUEST, host: 'host-b', ip: GUEST_IP, memoryMiB: nano?.ramMiB ?? 0 });
    expect(guest.host).toBe('host-b');
    expect(checkGuestCrash(GUEST)).toEqual({ crashed: false });
  });

  it('a killed libvirtd leaves the guest running, and a restarted one reconnects to it', async () => {
    const before = await libvirtdPid('host-b');
    expect(before).toBeGreaterThan(0);
    await killLibvirtd('host-b');
    expect(await libvirtdPid('host-b')).toBeUndefined();
    expect((await labStatus({ pingGuests: false })).healthy).toBe(false);
    expect((await ping(PROBER.netns, GUEST_IP, { count: 2, intervalMs: 200 })).received).toBeGreaterThan(0);

    await startLibvirtd('host-b');
    const after = await libvirtdPid('host-b');
    expect(after).toBeGreaterThan(0);
    expect(after).not.toBe(before);
    expect(await whereIsGuest(GUEST)).toEqual({ defined: ['host-b'], running: ['host-b'] });
    expect((await virsh('host-b', ['domstate', GUEST])).stdout.trim()).toBe('running');
  });

  it('shapes the migration link with tc and removes the shaping', async () => {
    await shapeMigrationLink('host-a', 200);
    const shaped = await execIn('lm-host-a', ['tc', 'qdisc', 'show', 'dev', 'mig0']);
    expect(shaped.stdout).toMatch(/tbf .*rate 200Mbit/);
    await shapeMigrationLink('host-a', null);
    const plain = await execIn('lm-host-a', ['tc', 'qdisc', 'show', 'dev', 'mig0']);
    expect(plain.stdout).not.toMatch(/tbf/);
  });

  it('cutting the migration link makes the host unreachable over qemu+tcp, and restoring it brings it back', async () => {
    const [a, b] = topology().hosts;
    if (!a || !b) throw new Error('expected two hosts');
    await setMigrationLink('host-b', 'down');
    try {
      expect((await ping(a.netns, b.mgmtIp, { count: 2, intervalMs: 200, timeoutS: 2 })).received).toBe(0);
      // The RPC cannot connect either (bounded, since a SYN to a dead link only times out).
      const cut = await execIn(a.netns, ['virsh', '-c', b.libvirtUri, 'uri'], { allowFailure: true, timeoutMs: 3_000 });
      expect(cut.exitCode).not.toBe(0);
    } finally {
      await setMigrationLink('host-b', 'up');
    }
    expect((await ping(a.netns, b.mgmtIp, { count: 1 })).received).toBe(1);
    const back = await execIn(a.netns, ['virsh', '-c', b.libvirtUri, 'uri']);
    expect(back.stdout.trim()).toBe(b.libvirtUri);
  });
});
