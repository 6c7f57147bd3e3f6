import { UnprocessableEntityException } from '@nestjs/common';
import type { HostEntity } from '../../inventory/hosts/host.entity';
import type { HostsRepository } from '../../inventory/repositories/hosts.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A host by id or name, as Neutron's binding:host_id takes the host name; 422 when there is none. */
export async function resolveHost(hosts: HostsRepository, ref: string, field = 'host'): Promise<HostEntity> {
  const host = await (UUID.test(ref) ? hosts.findById(ref) : hosts.findByName(ref));
  if (!host) throw new UnprocessableEntityException({ message: `${field} ${ref} is not a known host`, details: { field } });
  return host;
}
