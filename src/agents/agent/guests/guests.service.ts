import { Injectable, NotFoundException } from '@nestjs/common';
import { readdir, readFile, readlink } from 'node:fs/promises';
import type { GuestMemoryInfo } from '../../agent-api';
import { guestRamResidentKiB, isQemuOfDomain } from './guest-ram';

/** Reads a running guest's QEMU process from /proc: the host's view of how much guest RAM was ever written. */
@Injectable()
export class GuestsService {
  /** `domain` is validated by the controller. */
  async memory(domain: string, ramMiB: number): Promise<GuestMemoryInfo> {
    const pid = await this.qemuPid(domain);
    if (pid === null) throw new NotFoundException(`no QEMU process for ${domain} on this host`);
    const smaps = await readFile(`/proc/${pid}/smaps`, 'utf8');
    const residentKiB = guestRamResidentKiB(smaps, ramMiB * 1024);
    if (residentKiB === null) throw new NotFoundException(`no ${ramMiB} MiB guest-RAM mapping in QEMU ${pid} of ${domain}`);
    return { domain, pid, ramMiB, residentBytes: residentKiB * 1024 };
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
