import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertName, checkDomainName, checkIpAddress } from '../src/common/names';
import { waitFor } from './exec';
import { consolePathInHost, guestDomainXml } from './domain-xml';
import { ensureGuestImage } from './guest-image';
import { virsh } from './libvirtd';
import { ping } from './network';
import { hostPaths, imagesPath, instancesPath, labDir } from './paths';
import { hostByName, topology } from './current-topology';
import { PROBER, guestMac, type LabHost } from './topology';

// Lab guests: define and start through the host's libvirtd over TCP, find
// them, read their consoles.

export interface BootGuestOptions {
  name: string;
  /** Host name ("host-a"). */
  host: string;
  ip: string;
  memoryMiB?: number;
  vcpus?: number;
  mac?: string;
  /** The domain's UUID, when the controller's instance record was made first (ports before boot, as Nova does). */
  uuid?: string;
  dirtyMiB?: number;
  dirtyPauseMs?: number;
  /** Attach a raw disk from shared storage that the guest writes to every second. */
  disk?: boolean;
  /** How long to wait for the first ping from the prober. */
  bootTimeoutMs?: number;
}

export interface BootedGuest {
  domainName: string;
  uuid: string;
  ip: string;
  mac: string;
  host: string;
  bootMs: number;
  diskPath?: string;
}

export const DEFAULT_GUEST_MEMORY_MIB = 256;
const DISK_BYTES = 16 * 1024 * 1024;

// Resolving the image asks apt (~0.5 s); once per process is enough.
let imageOnce: ReturnType<typeof ensureGuestImage> | undefined;

/** Copies the cached kernel and initramfs into shared storage, where every host can read them. */
export async function installGuestImage(): Promise<{ kernelPath: string; initrdPath: string; built: boolean }> {
  imageOnce ??= ensureGuestImage().catch((err: unknown) => {
    imageOnce = undefined;
    throw err;
  });
  const image = await imageOnce;
  const dir = imagesPath();
  mkdirSync(dir, { recursive: true });
  const kernelPath = join(dir, `${image.key}-vmlinuz`);
  const initrdPath = join(dir, `${image.key}-initrd.img`);
  if (!existsSync(kernelPath) || statSync(kernelPath).size !== statSync(image.kernelPath).size) copyFileSync(image.kernelPath, kernelPath);
  if (!existsSync(initrdPath) || statSync(initrdPath).size !== statSync(image.initrdPath).size) copyFileSync(image.initrdPath, initrdPath);
  return { kernelPath, initrdPath, built: image.built };
}

export async function bootGuest(opts: BootGuestOptions): Promise<BootedGuest> {
  const name = assertName(checkDomainName, opts.name);
  const ip = assertName(checkIpAddress, opts.ip);
  const host = hostByName(opts.host);
  const mac = opts.mac ?? guestMac(ip);
  const uuid = opts.uuid ?? randomUUID();
  const { kernelPath, initrdPath } = await installGuestImage();
  const diskPath = opts.disk ? join(instancesPath(), `${name}.img`) : undefined;
  if (diskPath) {
    writeFileSync(diskPath, '');
    truncateSync(diskPath, DISK_BYTES);
  }
  const xml = guestDomainXml({
    name,
    uuid,
    memoryMiB: opts.memoryMiB ?? DEFAULT_GUEST_MEMORY_MIB,
    vcpus: opts.vcpus ?? 1,
    ip,
    mac,
    kernelPath,
    initrdPath,
    dirtyMiB: opts.dirtyMiB ?? 0,
    dirtyPauseMs: opts.dirtyPauseMs ?? 0,
    diskPath,
  });
  const xmlDir = join(labDir(), 'domains');
  mkdirSync(xmlDir, { recursive: true });
  const xmlPath = join(xmlDir, `${name}.xml`);
  writeFileSync(xmlPath, xml);
  const started = Date.now();
  await virsh(host, ['define', xmlPath]);
  await virsh(host, ['start', name]);
  await waitFor(
    `guest ${name} to answer pings from the prober`,
    async () => {
      const crash = checkGuestCrash(name);
      if (crash.crashed) throw new GuestCrashError(name, crash);
      return (await ping(PROBER.netns, ip, { count: 1, timeoutS: 1 })).received > 0 ? true : undefined;
    },
    opts.bootTimeoutMs ?? 60_000,
    200,
  ).catch((err: unknown) => {
    const crash = checkGuestCrash(name);
    if (crash.crashed) throw new GuestCrashError(name, crash);
    throw err;
  });
  return { domainName: name, uuid, ip, mac, host: host.name, bootMs: Date.now() - started, ...(diskPath ? { diskPath } : {}) };
}

export interface GuestLocation {
  defined: string[];
  running: string[];
}

export async function whereIsGuest(name: string): Promise<GuestLocation> {
  assertName(checkDomainName, name);
  const out: GuestLocation = { defined: [], running: [] };
  for (const host of topology().hosts) {
    const r = await virsh(host, ['domstate', name], { allowFailure: true, timeoutMs: 10_000 });
    if (r.exitCode !== 0) continue;
    out.defined.push(host.name);
    if (r.stdout.trim() === 'running') out.running.push(host.name);
  }
  return out;
}

export async function destroyGuest(name: string): Promise<void> {
  assertName(checkDomainName, name);
  for (const host of topology().hosts) {
    await virsh(host, ['destroy', name], { allowFailure: true, timeoutMs: 20_000 });
    await virsh(host, ['undefine', name], { allowFailure: true, timeoutMs: 20_000 });
    rmSync(consoleFile(host, name), { force: true });
  }
  rmSync(join(instancesPath(), `${name}.img`), { force: true });
}

function consoleFile(host: LabHost, name: string): string {
  return join(hostPaths(host.name).var, consolePathInHost(name).replace(/^\/var\//, ''));
}

/** The guest's serial console as each host recorded it; a migrated guest has a log on both. */
export function guestConsole(name: string): Record<string, string> {
  assertName(checkDomainName, name);
  const out: Record<string, string> = {};
  for (const host of topology().hosts) {
    const file = consoleFile(host, name);
    if (existsSync(file)) out[host.name] = readFileSync(file, 'utf8');
  }
  return out;
}

/** What a kernel prints when it dies; a hit is a guest crash, never a pass. */
// A kernel crash, or a virtio ring the guest driver found corrupt after a switchover ("output.0:id 1 is not a
// head!": the NIC is dead though the guest runs). Both were seen with QEMU 7.2 TCG under a probe stream.
// A general protection fault names none of BUG/Oops/panic unless the kernel goes on to panic.
export const GUEST_CRASH_PATTERN = /BUG|Oops|panic|general protection fault|is not a head!/;

export interface GuestCrashCheck {
  crashed: boolean;
  host?: string;
  line?: string;
}

export function findCrash(consoleText: string): string | undefined {
  return consoleText.split('\n').find((line) => GUEST_CRASH_PATTERN.test(line));
}

export function checkGuestCrash(name: string): GuestCrashCheck {
  for (const [host, text] of Object.entries(guestConsole(name))) {
    const line = findCrash(text);
    if (line !== undefined) return { crashed: true, host, line: line.trim() };
  }
  return { crashed: false };
}

export class GuestCrashError extends Error {
  override readonly name = 'GuestCrashError';
  constructor(
    readonly domainName: string,
    readonly crash: GuestCrashCheck,
  ) {
    super(`guest ${domainName} crashed on ${crash.host ?? '?'}: ${crash.line ?? ''}`);
  }
}

/** The highest heartbeat number the guest printed (on `host`'s console, or on any); -1 before the first. */
export function heartbeatCount(name: string, host?: string): number {
  let max = -1;
  for (const [onHost, text] of Object.entries(guestConsole(name))) {
    if (host !== undefined && onHost !== host) continue;
    for (const m of text.matchAll(/lm-heartbeat (\d+)/g)) max = Math.max(max, Number(m[1]));
  }
  return max;
}

/**
 * The highest write number the guest's disk writer put on its shared-storage disk;
 * -1 when none. Read from the image file itself, as any host would see it.
 */
export function diskWriteCount(name: string): number {
  assertName(checkDomainName, name);
  const path = join(instancesPath(), `${name}.img`);
  if (!existsSync(path)) return -1;
  let max = -1;
  for (const m of readFileSync(path)
    .toString('latin1')
    .matchAll(/lm-disk (\d+) /g))
    max = Math.max(max, Number(m[1]));
  return max;
}
