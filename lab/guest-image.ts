import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  chmodSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { run } from './exec';
import { assetPath, guestCacheDir } from './paths';

// The guest is a Debian cloud kernel plus a busybox initramfs, built from
// Debian packages and cached under a key of all its inputs.

const KERNEL_METAPACKAGE = 'linux-image-cloud-amd64';
const BUSYBOX_PACKAGE = 'busybox-static';
/** Load order matters: each module needs the ones before it. */
export const GUEST_MODULES = [
  'virtio_ring',
  'virtio',
  'virtio_pci_legacy_dev',
  'virtio_pci_modern_dev',
  'virtio_pci',
  'failover',
  'net_failover',
  'virtio_net',
  'virtio_blk',
] as const;
/** Bump when the build steps change in a way the inputs do not show. */
const BUILDER_VERSION = '1';

export interface GuestImage {
  kernelPath: string;
  initrdPath: string;
  key: string;
  /** True when this call built it; false when the cache had it. */
  built: boolean;
}

async function kernelPackageName(): Promise<string | undefined> {
  const { stdout } = await run(['apt-cache', 'depends', KERNEL_METAPACKAGE], { allowFailure: true });
  return /Depends:\s*(linux-image-\S+-cloud-amd64)/.exec(stdout)?.[1];
}

function cachedDeb(debDir: string, pkg: string): string | undefined {
  if (!existsSync(debDir)) return undefined;
  const hits = readdirSync(debDir)
    .filter((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'))
    .sort();
  const last = hits[hits.length - 1];
  return last === undefined ? undefined : join(debDir, last);
}

async function fetchDeb(debDir: string, pkg: string): Promise<string> {
  const have = cachedDeb(debDir, pkg);
  if (have) return have;
  mkdirSync(debDir, { recursive: true });
  await run(['apt-get', 'download', pkg], { cwd: debDir, timeoutMs: 300_000 });
  const got = cachedDeb(debDir, pkg);
  if (!got) throw new Error(`apt-get download ${pkg} left no .deb in ${debDir}`);
  return got;
}

async function resolveKernelDeb(debDir: string): Promise<string> {
  let pkg = await kernelPackageName();
  if (!pkg && !cachedKernelDeb(debDir)) {
    // A fresh machine may have no package lists yet.
    await run(['apt-get', 'update', '-q'], { allowFailure: true, timeoutMs: 300_000 });
    pkg = await kernelPackageName();
  }
  if (pkg) return fetchDeb(debDir, pkg);
  // Offline: reuse whichever cloud kernel was downloaded before.
  const cached = cachedKernelDeb(debDir);
  if (!cached) throw new Error(`cannot resolve ${KERNEL_METAPACKAGE} (apt-cache failed) and no kernel .deb is cached`);
  return cached;
}

function cachedKernelDeb(debDir: string): string | undefined {
  const files = existsSync(debDir)
    ? readdirSync(debDir)
        .filter((f) => /^linux-image-.*-cloud-amd64_.*\.deb$/.test(f))
        .sort()
    : [];
  const last = files[files.length - 1];
  return last === undefined ? undefined : join(debDir, last);
}

function findFile(root: string, predicate: (name: string) => boolean): string | undefined {
  const entries = readdirSync(root, { recursive: true, encoding: 'utf8' });
  const hit = entries.find((rel) => predicate(basename(rel)));
  return hit === undefined ? undefined : join(root, hit);
}

export async function ensureGuestImage(): Promise<GuestImage> {
  const cache = guestCacheDir();
  const debDir = join(cache, 'debs');
  const kernelDeb = await resolveKernelDeb(debDir);
  const busyboxDeb = await fetchDeb(debDir, BUSYBOX_PACKAGE);
  const initScript = readFileSync(assetPath('guest-init.sh'));
  const key = createHash('sha256')
    .update([BUILDER_VERSION, basename(kernelDeb), basename(busyboxDeb), GUEST_MODULES.join(',')].join('\n'))
    .update(initScript)
    .digest('hex')
    .slice(0, 16);
  const outDir = join(cache, key);
  const kernelPath = join(outDir, 'vmlinuz');
  const initrdPath = join(outDir, 'initrd.img');
  if (existsSync(kernelPath) && existsSync(initrdPath)) return { kernelPath, initrdPath, key, built: false };

  const work = mkdtempSync(join(tmpdir(), 'livemig-guest-'));
  try {
    const kdir = join(work, 'kernel');
    const bdir = join(work, 'busybox');
    await run(['dpkg', '-x', kernelDeb, kdir], { timeoutMs: 120_000 });
    await run(['dpkg', '-x', busyboxDeb, bdir]);
    const root = join(work, 'root');
    for (const d of ['bin', 'dev', 'proc', 'sys', 'modules', 'tmp']) mkdirSync(join(root, d), { recursive: true });
    const busybox = findFile(bdir, (n) => n === 'busybox');
    if (!busybox) throw new Error(`${BUSYBOX_PACKAGE} has no busybox binary`);
    copyFileSync(busybox, join(root, 'bin', 'busybox'));
    chmodSync(join(root, 'bin', 'busybox'), 0o755);
    writeFileSync(join(root, 'init'), initScript, { mode: 0o755 });
    // The kernel opens /dev/console for init before devtmpfs is mounted.
    await run(['mknod', '-m', '600', join(root, 'dev', 'console'), 'c', '5', '1']);
    for (const mod of GUEST_MODULES) {
      const ko = findFile(join(kdir, 'lib', 'modules'), (n) => n === `${mod}.ko.xz` || n === `${mod}.ko`);
      if (!ko) throw new Error(`kernel package has no module ${mod}`);
      const dest = join(root, 'modules', `${mod}.ko`);
      if (ko.endsWith('.xz')) {
        copyFileSync(ko, `${dest}.xz`);
        await run(['xz', '-d', `${dest}.xz`]);
      } else {
        copyFileSync(ko, dest);
      }
    }
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' });
    const cpioPath = join(work, 'initrd.cpio');
    await run(['cpio', '--quiet', '-o', '-H', 'newc', '-R', '0:0', '-O', cpioPath], {
      cwd: root,
      input: ['.', ...files].join('\n') + '\n',
    });
    const vmlinuz = findFile(join(kdir, 'boot'), (n) => n.startsWith('vmlinuz-'));
    if (!vmlinuz) throw new Error('kernel package has no /boot/vmlinuz-*');

    const stage = join(cache, `${key}.tmp`);
    rmSync(stage, { recursive: true, force: true });
    mkdirSync(stage, { recursive: true });
    copyFileSync(vmlinuz, join(stage, 'vmlinuz'));
    writeFileSync(join(stage, 'initrd.img'), gzipSync(readFileSync(cpioPath)));
    rmSync(outDir, { recursive: true, force: true });
    renameSync(stage, outDir);
    return { kernelPath, initrdPath, key, built: true };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
