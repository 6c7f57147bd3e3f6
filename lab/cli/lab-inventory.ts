import { randomUUID } from 'node:crypto';
import { agentToken, bootGuest, guestMac, LAB_FLAVORS, topology, type BootedGuest } from '..';
import { instancesPath } from '../paths';
import type { ControllerApi } from './controller-api';
import { createFloatingIp, createLabPort } from './lab-network';

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
  /** Set when booted on a tenant network of the controller's model. */
  portId?: string;
  floatingIp?: string;
}

export interface LabInstancePort {
  subnetId: string;
  /** A floating IP from this external network, probed north-south during migrations. */
  externalNetworkId?: string;
}

/** Boots a guest on a lab host and registers it as an instance of the flavor. */
export async function bootInstance(
  api: ControllerApi,
  inventory: LabInventory,
  opts: { name: string; host: string; ip: string; flavor: string; dirtyMiB?: number; dirtyPauseMs?: number; port?: LabInstancePort },
): Promise<LabInstance> {
  const flavor = LAB_FLAVORS.find((f) => f.name === opts.flavor);
  if (!flavor) throw new Error(`unknown lab flavor ${opts.flavor}`);
  if (opts.port) return bootWithPort(api, inventory, { ...opts, port: opts.port }, flavor.ramMiB);
  const guest = await bootGuest({
    name: opts.name,
    host: opts.host,
    ip: opts.ip,
    memoryMiB: flavor.ramMiB,
    dirtyMiB: opts.dirtyMiB,
    dirtyPauseMs: opts.dirtyPauseMs,
  });
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

/** Nova's order: the instance record, then its port bound on the host (the agent plugs the network), then the boot. */
async function bootWithPort(
  api: ControllerApi,
  inventory: LabInventory,
  opts: { name: string; host: string; ip: string; flavor: string; dirtyMiB?: number; dirtyPauseMs?: number; port: LabInstancePort },
  ramMiB: number,
): Promise<LabInstance> {
  const uuid = randomUUID();
  const mac = guestMac(opts.ip);
  const created = await api.ok<{ id: string }>('POST', '/instances', {
    name: opts.name,
    domainName: opts.name,
    domainUuid: uuid,
    flavorId: inventory.flavorIds[opts.flavor],
    hostId: inventory.hostIds[opts.host],
    ipAddress: opts.ip,
  });
  const port = await createLabPort(api, {
    subnetId: opts.port.subnetId,
    mac,
    fixedIp: opts.ip,
    hostId: inventory.hostIds[opts.host],
    deviceId: created.id,
  });
  const floatingIp = opts.port.externalNetworkId ? (await createFloatingIp(api, opts.port.externalNetworkId, port.id)).address : undefined;
  const guest = await bootGuest({
    name: opts.name,
    host: opts.host,
    ip: opts.ip,
    mac,
    uuid,
    memoryMiB: ramMiB,
    dirtyMiB: opts.dirtyMiB,
    dirtyPauseMs: opts.dirtyPauseMs,
  });
  return { ...guest, instanceId: created.id, portId: port.id, ...(floatingIp ? { floatingIp } : {}) };
}
