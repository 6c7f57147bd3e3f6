import { readdirSync, readFileSync } from 'node:fs';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTROLLER_IFACE,
  GuestCrashError,
  PROBER,
  acquireLabLock,
  bootGuest,
  checkGuestCrash,
  destroyGuest,
  execIn,
  guestConsole,
  heartbeatCount,
  diskWriteCount,
  labDir,
  labDown,
  labStatus,
  labUp,
  listNetns,
  ping,
  topology,
  virshMigrate,
  whereIsGuest,
  type BootedGuest,
} from '../../lab';

// The lab end to end: two hosts, a guest live-migrated A -> B -> A with
// `virsh migrate --live --p2p --persistent --undefinesource` (plus --unsafe for
// its shared-storage disk, after the marker check), then nothing left behind.

const GUEST = 'lm-smoke-1';
// Clear of lab-guest-1 (.10), which `lab up` from the CLI boots.
const GUEST_IP = '203.0.113.20';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

class CrashSeen extends Error {}

function assertNoCrash(): void {
  const crash = checkGuestCrash(GUEST);
  // A guest kernel crash (a known rare QEMU 7.2 TCG flake after switchover) is reported as such, never passed.
  if (crash.crashed) throw new CrashSeen(`guest crash on ${crash.host}: ${crash.line}`);
}

async function migrateAndCheck(from: string, to: string): Promise<void> {
  const beatsBefore = heartbeatCount(GUEST);
  const result = await virshMigrate(GUEST, from, to);
  // The source is gone once virsh returns: later disk writes come from the destination.
  const diskWritesAtSwitch = diskWriteCount(GUEST);
  expect(result.unsafe).toBe(true); // the guest has a disk in shared storage, proven shared first
  expect(result.completedJob['Operation']).toBe('Incoming migration');
  console.log(
    `${from} -> ${to}: ${result.elapsedMs} ms, downtime ${result.completedJob['Total downtime']}, data ${result.completedJob['Data processed']}`,
  );

  const where = await whereIsGuest(GUEST);
  expect(where).toEqual({ defined: [to], running: [to] });

  const reply = await until(
    `a ping reply from ${GUEST} on ${to}`,
    async () => {
      assertNoCrash();
      const r = await ping(PROBER.netns, topologyGuestIp, { count: 1, timeoutS: 1 });
      return r.received > 0 ? r : undefined;
    },
    10_000,
  );
  expect(reply.received).toBe(1);

  // The guest keeps running on the destination: its heartbeat count goes on rising in the destination's console log.
  const beatsOnDest = await until(
    `heartbeats on ${to} after migration`,
    () => {
      const n = heartbeatCount(GUEST, to);
      return n >= beatsBefore + 2 ? n : undefined;
    },
    15_000,
  );
  expect(beatsOnDest).toBeGreaterThan(beatsBefore);
  expect(guestConsole(GUEST)[to]).toMatch(new RegExp(`lm-heartbeat ${beatsOnDest}\\b`));
  // Its disk in shared storage keeps being written from the destination.
  await until(`disk writes on ${to} after migration`, () => (diskWriteCount(GUEST) >= diskWritesAtSwitch + 2 ? true : undefined), 15_000);
  assertNoCrash();
}

let topologyGuestIp = '';

describe('lab smoke', () => {
  let releaseLab: () => void = () => undefined;

  beforeAll(async () => {
    // Other lab test runs on this machine wait for us instead of tearing the lab down.
    releaseLab = await acquireLabLock();
    const up = await labUp({ hosts: 2, log: (l) => console.log(l) });
    console.log(
      up.alreadyUp ? 'lab was already up' : `lab up: ${up.upMs} ms (image ${up.imageBuilt ? 'built' : 'cached'} ${up.imageMs} ms)`,
    );
  });

  afterAll(async () => {
    try {
      await labDown();
    } finally {
      releaseLab();
    }
  });

  it('is idempotent: a second up finds the lab healthy', async () => {
    const again = await labUp({ hosts: 2 });
    expect(again.alreadyUp).toBe(true);
  });

  it('each host answers on its qemu+tcp URI from the other host and from the root namespace', async () => {
    const [a, b] = topology().hosts;
    if (!a || !b) throw new Error('expected two hosts');
    for (const host of [a, b]) {
      // The controller's path: root namespace, controller leg, management bridge.
      const fromRoot = await execa('virsh', ['-c', host.libvirtUri, 'uri'], { timeout: 15_000 });
      expect(fromRoot.stdout.trim()).toBe(host.libvirtUri);
    }
    for (const [host, from] of [
      [a, b],
      [b, a],
    ] as const) {
      const r = await execIn(from.netns, ['virsh', '-c', host.libvirtUri, 'uri']);
      expect(r.stdout.trim()).toBe(host.libvirtUri);
    }
  });

  it('live-migrates a guest A -> B -> A and it keeps answering', async () => {
    for (let attempt = 1; attempt <= 2; attempt++) {
      let guest: BootedGuest | undefined;
      try {
        guest = await bootGuest({ name: GUEST, host: 'host-a', ip: GUEST_IP, memoryMiB: 256, dirtyMiB: 16, dirtyPauseMs: 100, disk: true });
        topologyGuestIp = guest.ip;
        console.log(`booted ${guest.domainName} in ${guest.bootMs} ms`);
        const status = await labStatus();
        expect(status.healthy).toBe(true);
        expect(status.hosts.find((h) => h.name === 'host-a')?.guests).toContainEqual({
          name: GUEST,
          state: 'running',
          ip: guest.ip,
          pingOk: true,
        });
        await until('first heartbeat', () => (heartbeatCount(GUEST) >= 0 ? true : undefined), 10_000);
        await until('first disk write', () => (diskWriteCount(GUEST) >= 0 ? true : undefined), 10_000);

        await migrateAndCheck('host-a', 'host-b');
        await migrateAndCheck('host-b', 'host-a');
        return;
      } catch (err) {
        const crashed = err instanceof CrashSeen || err instanceof GuestCrashError || checkGuestCrash(GUEST).crashed;
        if (!crashed || attempt === 2) throw err;
        console.warn(`GUEST CRASH on attempt ${attempt} (known QEMU TCG flake), retrying once: ${(err as Error).message}`);
      } finally {
        if (guest === undefined || attempt === 2 || checkGuestCrash(GUEST).crashed) await destroyGuest(GUEST);
      }
    }
  });

  it('lab down leaves no namespaces, processes, agents, mounts or controller leg', async () => {
    await destroyGuest(GUEST);
    const down = await labDown();
    expect(down.namespaces).toContain('lm-host-a');

    expect((await listNetns()).filter((ns) => ns.startsWith('lm-'))).toEqual([]);

    const dir = labDir();
    const leftovers: string[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let cmdline: string;
      let comm: string;
      try {
        cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
        comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      } catch {
        continue;
      }
      // comm catches <defunct> wrappers too, whose cmdline is empty.
      const ours =
        cmdline.includes(dir) ||
        comm.startsWith('lm-hostd') ||
        cmdline.includes('lm-hostd') ||
        cmdline.includes('libvirtd --listen -f /etc/libvirt/libvirtd.conf') ||
        // Lab agents: `livemig.js agent --listen <lab management IP>:7070`.
        /livemig\.js agent .*--listen 198\.51\.100\./.test(cmdline);
      if (ours && Number(entry) !== process.pid) leftovers.push(`${entry} (${comm}): ${cmdline}`);
    }
    expect(leftovers).toEqual([]);

    const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .filter((l) => l.includes(dir) || l.includes('/run/netns/lm-'));
    expect(mounts).toEqual([]);

    // The controller leg and its address and route are gone from the root namespace.
    expect((await execa('ip', ['link', 'show', 'dev', CONTROLLER_IFACE], { reject: false })).exitCode).not.toBe(0);
    const rootAddrs = (await execa('ip', ['-4', '-o', 'addr', 'show'])).stdout.split('\n');
    expect(rootAddrs.filter((l) => / inet (198\.51\.100\.|203\.0\.113\.)/.test(l))).toEqual([]);
    const rootRoutes = (await execa('ip', ['-4', 'route', 'show'])).stdout.split('\n');
    expect(rootRoutes.filter((l) => /^(198\.51\.100\.|203\.0\.113\.)/.test(l))).toEqual([]);
  });
});
