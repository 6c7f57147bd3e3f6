import { bootGuest, type BootedGuest } from './guest';
import { LAB_FLAVORS, LAB_HOST_CAPACITY, guestIp, type LabFlavor, type LabHost } from './topology';
import { instancesPath } from './paths';

// Registers the lab in a running controller through its REST API: hosts,
// lab flavors, and one booted guest as an instance.

export interface RegisterOptions {
  url: string;
  token: string;
  hosts: LabHost[];
  /** Flavor of the guest that is booted and registered. */
  guestFlavor?: string;
  log?: (line: string) => void;
}

export interface RegisterResult {
  hostIds: Record<string, string>;
  flavorIds: Record<string, string>;
  instanceId: string;
  guest: BootedGuest;
}

interface Created {
  id: string | number;
}

async function post(base: string, token: string, path: string, body: object): Promise<Created> {
  const res = await fetch(new URL(path, base), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${path} -> ${res.status}: ${text.slice(0, 300)}`);
  const parsed = JSON.parse(text) as Partial<Created>;
  if (parsed.id === undefined) throw new Error(`POST ${path} answered without an id: ${text.slice(0, 300)}`);
  return { id: parsed.id };
}

export async function registerLab(opts: RegisterOptions): Promise<RegisterResult> {
  const { url, token, hosts } = opts;
  const log = opts.log ?? (() => undefined);
  const hostIds: Record<string, string> = {};
  for (const host of hosts) {
    const created = await post(url, token, '/hosts', {
      name: host.name,
      libvirtUri: host.libvirtUri,
      migrationAddress: host.mgmtIp,
      migrationInterface: host.migrationInterface,
      instancesPath: instancesPath(),
      vcpus: LAB_HOST_CAPACITY.vcpus,
      memoryMiB: LAB_HOST_CAPACITY.memoryMiB,
      state: 'enabled',
    });
    hostIds[host.name] = String(created.id);
  }
  const flavorIds: Record<string, string> = {};
  for (const flavor of LAB_FLAVORS) {
    flavorIds[flavor.name] = String((await post(url, token, '/flavors', flavor)).id);
  }
  const flavor: LabFlavor = LAB_FLAVORS.find((f) => f.name === (opts.guestFlavor ?? 'lab.tiny')) ?? (LAB_FLAVORS[2] as LabFlavor);
  const first = hosts[0];
  if (!first) throw new Error('no hosts to register a guest on');
  const guest = await bootGuest({ name: 'lab-guest-1', host: first.name, ip: guestIp(0), memoryMiB: flavor.ramMiB, vcpus: flavor.vcpus });
  log(`booted ${guest.domainName} on ${first.name} in ${guest.bootMs} ms`);
  const instance = await post(url, token, '/instances', {
    name: guest.domainName,
    domainName: guest.domainName,
    domainUuid: guest.uuid,
    flavorId: flavorIds[flavor.name],
    hostId: hostIds[first.name],
    state: 'active',
  });
  return { hostIds, flavorIds, instanceId: String(instance.id), guest };
}
