import { Injectable, NotFoundException } from '@nestjs/common';
import { open, readdir, readFile, readlink } from 'node:fs/promises';
import type { GuestMemoryInfo } from '../../protocol';
import { findGuestRamMapping, isQemuOfDomain, nonZeroPages, PAGE_BYTES } from './guest-ram';

/** Up to 256 MiB read per guest; larger guests are sampled evenly. */
const MAX_SCANNED_PAGES = 65_536;
const CHUNK_BYTES = 1024 * 1024;

/** Reads a running guest's QEMU process from /proc: how much guest RAM was ever written, and how much is not zero. */
@Injectable()
export class GuestsService {
  /** `domain` is validated by the controller. */
  async memory(domain: string, ramMiB: number): Promise<GuestMemoryInfo> {
    const pid = await this.qemuPid(domain);
    if (pid === null) throw new NotFoundException(`no QEMU process for ${domain} on this host`);
    const smaps = await readFile(`/proc/${pid}/smaps`, 'utf8');
    const mapping = findGuestRamMapping(smaps, ramMiB * 1024);
    if (mapping === null) throw new NotFoundException(`no ${ramMiB} MiB guest-RAM mapping in QEMU ${pid} of ${domain}`);
    const scan = await this.scanNonZero(pid, mapping.start, ramMiB * 1024 * 1024);
    return { domain, pid, ramMiB, residentBytes: mapping.rssKiB * 1024, nonZeroBytes: scan.nonZeroBytes, scannedPages: scan.scannedPages };
  }

  /**
   * Non-zero guest RAM, as QEMU's zero-page check will find it: every page read from /proc/<pid>/mem for
   * small guests, an even sample of MAX_SCANNED_PAGES for large ones. Only counts; no content leaves here.
   */
  private async scanNonZero(pid: number, start: number, ramBytes: number): Promise<{ nonZeroBytes: number; scannedPages: number }> {
    const pages = Math.floor(ramBytes / PAGE_BYTES);
    const stride = Math.max(1, Math.ceil(pages / MAX_SCANNED_PAGES));
    const file = await open(`/proc/${pid}/mem`, 'r');
    try {
      let nonZero = 0;
      let scanned = 0;
      if (stride === 1) {
        const chunk = Buffer.alloc(CHUNK_BYTES);
        for (let off = 0; off < ramBytes; off += CHUNK_BYTES) {
          const { bytesRead } = await file.read(chunk, 0, Math.min(CHUNK_BYTES, ramBytes - off), start + off);
          nonZero += nonZeroPages(chunk.subarray(0, bytesRead));
          scanned += Math.floor(bytesRead / PAGE_BYTES);
        }
      } else {
        const page = Buffer.alloc(PAGE_BYTES);
        for (let p = 0; p < pages; p += stride) {
          const { bytesRead } = await file.read(page, 0, PAGE_BYTES, start + p * PAGE_BYTES);
          if (bytesRead < PAGE_BYTES) continue;
          nonZero += nonZeroPages(page);
          scanned++;
        }
      }
      return { nonZeroBytes: scanned === 0 ? 0 : Math.round((nonZero / scanned) * pages) * PAGE_BYTES, scannedPages: scanned };
    } finally {
      await file.close();
    }
  }

  /** The QEMU of this domain in the agent's own network namespace (a host's processes share it). */
  private async qemuPid(domain: string): Promise<number | null> {
    const ownNet = await readlink('/proc/self/ns/net');
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8');
        if (!isQemuOfDomain(cmdline, domain)) continue;
        if ((await readlink(`/proc/${entry}/ns/net`)) !== ownNet) continue;
        return Number(entry);
      } catch {
        // The process went away while we looked.
      }
    }
    return null;
  }
}
