import { agentToken, bootGuest, LAB_FLAVORS, topology, type BootedGuest } from '../../lab';
import { instancesPath } from '../../lab/paths';
import type { ControllerApi } from './controller-api';

export interface LabInventory {
  hostIds: Record<string, string>;
  flavorIds: Record<string, string>;
}

/** Registers every lab host (with its agent) and the lab flavors in a controller. */
export async function registerLabInventory(api: ControllerApi): Promise<LabInventory> {
  const hostIds: Record<string, string> = {};
  for (const host of topology().hosts) {
    const created = await api.ok<{ id: string }>('POST', '/hosts', {
      name: host.name,
      libvirtUri: host.libvirtUri,
      migrationAddress: host.mgmtIp,
      migrationInterface: host.migrationInterface,
      instancesPath: instancesPath(),
      vcpus: 8,
      memoryMiB: 4096,
      agentEndpoint: host.agentUrl,
      agentToken: agentToken(host.name),
      vtepIp: host.vtepIp,
    });
    hostIds[host.name] = created.id;
  }
  const flavorIds: Record<string, string> = {};
  for (const flavor of LAB_FLAVORS) {
    const res = await api.call<{ id: string }>('POST', '/flavors', flavor);
    if (res.status === 201) flavorIds[flavor.name] = res.body.id;
    else {
      const list = await api.ok<{ items: { id: string; name: string }[] }>('GET', '/flavors?limit=500');
      flavorIds[flavor.name] = list.items.find((f) => f.name === flavor.name)!.id;
    }
  }
  return { hostIds, flavorIds };
}

export interface LabInstance extends BootedGuest {
  instanceId: string;
}

/** Boots a guest on a lab host and registers it as an instance of the flavor. */
export async function bootInstance(
  api: ControllerApi,
  inventory: LabInventory,
  opts: { name: string; host: string; ip: string; flavor: string; dirtyMiB?: number; dirtyPauseMs?: number },
): Promise<LabInstance> {
  const flavor = LAB_FLAVORS.find((f) => f.name === opts.flavor);
  if (!flavor) throw new Error(`unknown lab flavor ${opts.flavor}`);
  const guest = await bootGuest({ name: opts.name, host: opts.host, ip: opts.ip, memoryMiB: flavor.ramMiB, dirtyMiB: opts.dirtyMiB, dirtyPauseMs: opts.dirtyPauseMs });
  const created = await api.ok<{ id: string }>('POST', '/instances', {
    name: opts.name,
    domainName: guest.domainName,
    domainUuid: guest.uuid,
    flavorId: inventory.flavorIds[opts.flavor],
    hostId: inventory.hostIds[opts.host],
    ipAddress: guest.ip,
  });
  return { ...guest, instanceId: created.id };
}
