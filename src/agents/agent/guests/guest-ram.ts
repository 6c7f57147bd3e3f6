// Pure: how much of a guest's RAM the host holds, from the QEMU process's /proc/<pid>/smaps.

/** The `-name guest=<domain>,...` argument libvirt gives QEMU. */
export function isQemuOfDomain(cmdline: string, domain: string): boolean {
  const args = cmdline.split('\0');
  const at = args.indexOf('-name');
  if (at < 0 || at + 1 >= args.length) return false;
  return args[at + 1].split(',').some((part) => part === `guest=${domain}`);
}

const MAPPING = /^[0-9a-f]+-[0-9a-f]+ (\S+) [0-9a-f]+ \S+ (\d+)\s*(.*)$/;

/**
 * Resident KiB of the guest-RAM mapping: the private anonymous read-write mapping whose size is the
 * guest's RAM (QEMU may round it up by a little). Never-touched guest pages are not resident, so this
 * bounds what a first pre-copy round sends; null when no such mapping is found.
 */
export function guestRamResidentKiB(smaps: string, ramKiB: number): number | null {
  let candidate = false;
  let sizeKiB = 0;
  for (const line of smaps.split('\n')) {
    const m = MAPPING.exec(line);
    if (m) {
      // Anonymous: inode 0 and no path.
      candidate = m[1] === 'rw-p' && m[2] === '0' && m[3] === '';
      sizeKiB = 0;
      continue;
    }
    if (!candidate) continue;
    if (line.startsWith('Size:')) sizeKiB = Number(line.split(/\s+/)[1]);
    else if (line.startsWith('Rss:') && sizeKiB >= ramKiB && sizeKiB <= ramKiB + 4096) return Number(line.split(/\s+/)[1]);
  }
  return null;
}
