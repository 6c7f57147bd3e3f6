import { hostByName } from './current-topology';
import { bootGuest, destroyGuest, whereIsGuest } from './guest';
import { virsh } from './libvirtd';
import { LAB_FLAVORS, guestIp } from './topology';

// The one standing guest `lab up` boots (and `--register` registers), so the
// lab has something to ping and migrate right away.

export const LAB_GUEST_NAME = 'lab-guest-1';

export interface LabGuest {
  domainName: string;
  uuid: string;
  host: string;
  ip: string;
  /** False when it was already running. */
  booted: boolean;
}

/** Boots the lab guest on `host` unless it already runs somewhere in the lab. */
export async function ensureLabGuest(opts: { host: string; flavor?: string; log?: (line: string) => void }): Promise<LabGuest> {
  const ip = guestIp(0);
  const where = await whereIsGuest(LAB_GUEST_NAME);
  const running = where.running[0];
  if (running) {
    const uuid = (await virsh(hostByName(running), ['domuuid', LAB_GUEST_NAME])).stdout.trim();
    return { domainName: LAB_GUEST_NAME, uuid, host: running, ip, booted: false };
  }
  if (where.defined.length > 0) await destroyGuest(LAB_GUEST_NAME);
  const flavorName = opts.flavor ?? 'lab.tiny';
  const flavor = LAB_FLAVORS.find((f) => f.name === flavorName);
  if (!flavor) throw new Error(`no lab flavor ${flavorName}`);
  const booted = await bootGuest({ name: LAB_GUEST_NAME, host: opts.host, ip, memoryMiB: flavor.ramMiB, vcpus: flavor.vcpus });
  opts.log?.(`booted ${booted.domainName} (${flavor.name}, ${booted.ip}) on ${booted.host} in ${(booted.bootMs / 1000).toFixed(1)} s`);
  return { domainName: booted.domainName, uuid: booted.uuid, host: booted.host, ip: booted.ip, booted: true };
}
