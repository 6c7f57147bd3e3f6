import { ensureLabGuest } from './lab-guest';
import { LAB_FLAVORS, LAB_HOST_CAPACITY, type LabFlavor, type LabHost } from './topology';
import { instancesPath } from './paths';
import { readAgentToken } from './agents';

// Registers the lab in a running controller through its REST API: hosts, lab
// flavors, and one booted guest as an instance. Hosts carry their agent's
// endpoint and token, so the controller can drive real migrations. Safe to repeat: a 409 means
// "already there", and the existing record's id is looked up by name.

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
  guest: { domainName: string; uuid: string; host: string; ip: string };
}

interface Named {
  id: string;
  name: string;
}

class ControllerClient {
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  private async request(method: 'GET' | 'POST', path: string, body?: object): Promise<{ status: number; json: unknown; text: string }> {
    const res = await fetch(new URL(path, this.base), {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text };
  }

  /** Creates, or finds the record of the same name when the controller answers 409. */
  async createOrFind(collection: 'hosts' | 'flavors' | 'instances', name: string, body: object): Promise<{ id: string; created: boolean }> {
    const res = await this.request('POST', `/${collection}`, body);
    const id = (res.json as { id?: unknown } | undefined)?.id;
    if (res.status >= 200 && res.status < 300 && (typeof id === 'string' || typeof id === 'number'))
      return { id: String(id), created: true };
    if (res.status !== 409) throw new Error(`POST /${collection} -> ${res.status}: ${res.text.slice(0, 300)}`);
    const list = await this.request('GET', `/${collection}?limit=500`);
    const items = (list.json as { items?: Named[] } | undefined)?.items ?? [];
    const hit = items.find((item) => item.name === name);
    if (!hit) throw new Error(`POST /${collection} said ${name} exists, but GET /${collection} does not list it`);
    return { id: String(hit.id), created: false };
  }
}

export async function registerLab(opts: RegisterOptions): Promise<RegisterResult> {
  const client = new ControllerClient(opts.url, opts.token);
  const log = opts.log ?? (() => undefined);
  const hostIds: Record<string, string> = {};
  for (const host of opts.hosts) {
    const r = await client.createOrFind('hosts', host.name, {
      name: host.name,
      libvirtUri: host.libvirtUri,
      migrationAddress: host.mgmtIp,
      migrationInterface: host.migrationInterface,
      instancesPath: instancesPath(),
      agentEndpoint: host.agentUrl,
      agentToken: readAgentToken(host.name),
      vcpus: LAB_HOST_CAPACITY.vcpus,
      memoryMiB: LAB_HOST_CAPACITY.memoryMiB,
      state: 'enabled',
    });
    hostIds[host.name] = r.id;
  }
  const flavorIds: Record<string, string> = {};
  for (const flavor of LAB_FLAVORS) flavorIds[flavor.name] = (await client.createOrFind('flavors', flavor.name, flavor)).id;

  const flavor: LabFlavor = LAB_FLAVORS.find((f) => f.name === (opts.guestFlavor ?? 'lab.tiny')) ?? LAB_FLAVORS[2];
  const first = opts.hosts[0];
  if (!first) throw new Error('no hosts to register a guest on');
  const guest = await ensureLabGuest({ host: first.name, flavor: flavor.name, log });
  const instance = await client.createOrFind('instances', guest.domainName, {
    name: guest.domainName,
    domainName: guest.domainName,
    domainUuid: guest.uuid,
    flavorId: flavorIds[flavor.name],
    hostId: hostIds[guest.host],
    ipAddress: guest.ip,
    state: 'active',
  });
  log(
    `registered ${opts.hosts.length} hosts, ${LAB_FLAVORS.length} flavors and instance ${guest.domainName} (${instance.created ? 'new' : 'existing'})`,
  );
  return { hostIds, flavorIds, instanceId: instance.id, guest };
}
