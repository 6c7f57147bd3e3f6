import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

// Paths of the lab on the machine. The state dir is seen by the root mount
// namespace; inside a host's libvirtd namespace /var, /etc/libvirt and /run are
// that host's own directories, and only `instancesPath` (and HOME) is shared.

export const DEFAULT_LAB_DIR = '/var/lib/livemig-lab';

export function labDir(): string {
  return process.env.LIVEMIG_LAB_DIR ?? DEFAULT_LAB_DIR;
}

/** Shared guest storage: the same path on every host, standing in for NFS. */
export function instancesPath(): string {
  return join(labDir(), 'instances');
}

/** Guest kernel and initramfs, placed in shared storage so every host sees them. */
export function imagesPath(): string {
  return join(instancesPath(), '_images');
}

export function hostDir(hostName: string): string {
  return join(labDir(), 'hosts', hostName);
}

export function hostPaths(hostName: string) {
  const root = hostDir(hostName);
  return {
    root,
    etcLibvirt: join(root, 'etc-libvirt'),
    var: join(root, 'var'),
    run: join(root, 'run'),
    passwd: join(root, 'passwd'),
    group: join(root, 'group'),
    daemonLog: join(root, 'libvirtd.log'),
    /** Where qemu's logs and guest consoles land, as seen from the root namespace. */
    qemuLogDir: join(root, 'var', 'log', 'libvirt', 'qemu'),
  };
}

/** Capabilities probed once and copied to every host, so libvirtd starts in ~0.2 s. */
export function capabilityCacheDir(): string {
  return join(labDir(), 'capability-cache');
}

export function labStateFile(): string {
  return join(labDir(), 'lab.json');
}

export function guestCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(base, 'livemig', 'guest');
}

/** The directory holding package.json: assets resolve from it, from lab/ and dist/lab/ alike. */
export function projectRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'lab'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no project root above ${start}`);
    dir = parent;
  }
}

export function assetPath(name: string): string {
  return join(projectRoot(), 'lab', 'assets', name);
}
