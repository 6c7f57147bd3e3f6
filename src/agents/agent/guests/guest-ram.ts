// Pure: how much of a guest's RAM the host holds (QEMU's /proc/<pid>/smaps) and how much of it is not zero.

/** The `-name guest=<domain>,...` argument libvirt gives QEMU. */
export function isQemuOfDomain(cmdline: string, domain: string): boolean {
  const args = cmdline.split('\0');
  const at = args.indexOf('-name');
  if (at < 0 || at + 1 >= args.length) return false;
  return args[at + 1].split(',').some((part) => part === `guest=${domain}`);
}

const MAPPING = /^([0-9a-f]+)-([0-9a-f]+) (\S+) [0-9a-f]+ \S+ (\d+)\s*(.*)$/;

export interface GuestRamMapping {
  /** Start address in the QEMU process. */
  start: number;
  sizeKiB: number;
  rssKiB: number;
}

/**
 * The guest-RAM mapping: the private anonymous read-write mapping whose size is the guest's RAM (QEMU may
 * round it up by a little). Its Rss counts written pages only; null when no such mapping is found.
 */
export function findGuestRamMapping(smaps: string, ramKiB: number): GuestRamMapping | null {
  let current: { start: number; sizeKiB: number } | null = null;
  for (const line of smaps.split('\n')) {
    const m = MAPPING.exec(line);
    if (m) {
      // Anonymous: inode 0 and no path.
      current = m[3] === 'rw-p' && m[4] === '0' && m[5] === '' ? { start: parseInt(m[1], 16), sizeKiB: 0 } : null;
      continue;
    }
    if (!current) continue;
    if (line.startsWith('Size:')) current.sizeKiB = Number(line.split(/\s+/)[1]);
    else if (line.startsWith('Rss:') && current.sizeKiB >= ramKiB && current.sizeKiB <= ramKiB + 4096) {
      return { start: current.start, sizeKiB: current.sizeKiB, rssKiB: Number(line.split(/\s+/)[1]) };
    }
  }
  return null;
}

/** Resident KiB of the guest-RAM mapping (see findGuestRamMapping). */
export function guestRamResidentKiB(smaps: string, ramKiB: number): number | null {
  return findGuestRamMapping(smaps, ramKiB)?.rssKiB ?? null;
}

export const PAGE_BYTES = 4096;

/** Pages of `buf` (whole pages) that hold any non-zero byte: what QEMU's first round sends in full. */
export function nonZeroPages(buf: Buffer): number {
  const zero = Buffer.alloc(PAGE_BYTES);
  let count = 0;
  for (let off = 0; off + PAGE_BYTES <= buf.length; off += PAGE_BYTES) {
    if (!buf.subarray(off, off + PAGE_BYTES).equals(zero)) count++;
  }
  return count;
}
