import { UnprocessableEntityException } from '@nestjs/common';
import type { Repository } from 'typeorm';
import type { HostEntity } from '../../inventory/hosts/host.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A host by id or name, as Neutron's binding:host_id takes the host name; 422 when there is none. */
export async function resolveHost(hosts: Repository<HostEntity>, ref: string, field = 'host'): Promise<HostEntity> {
  const host = await hosts.findOneBy(UUID.test(ref) ? { id: ref } : { name: ref });
  if (!host) throw new UnprocessableEntityException({ message: `${field} ${ref} is not a known host`, details: { field } });
  return host;
}
