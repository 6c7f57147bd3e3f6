import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type Repository } from 'typeorm';
import { HostEntity } from '../../inventory/hosts/host.entity';
import { NetworkEntity } from '../networks/network.entity';
import type { PortBindingDto } from './port.dto';
import { PortBindingEntity } from './port-binding.entity';
import { PortEntity } from './port.entity';
import { resolveHost } from './resolve-host';
import { vifDetails } from './vif-details';

/**
 * Neutron's multiple port bindings: a migration creates an INACTIVE binding on the destination,
 * activates it at switchover (the source's becomes INACTIVE) and deletes the source's at the end.
 * At most one binding of a port is ACTIVE.
 */
@Injectable()
export class PortBindingService {
  constructor(
    @InjectRepository(PortEntity) private readonly ports: Repository<PortEntity>,
    @InjectRepository(PortBindingEntity) private readonly bindings: Repository<PortBindingEntity>,
    @InjectRepository(HostEntity) private readonly hosts: Repository<HostEntity>,
    @InjectRepository(NetworkEntity) private readonly networks: Repository<NetworkEntity>,
    private readonly dataSource: DataSource,
  ) {}

  async list(portId: string): Promise<PortBindingDto[]> {
    await this.port(portId);
    const bindings = await this.bindings.find({ where: { portId }, order: { createdAt: 'ASC' } });
    const hosts = await this.hosts.find({ select: { id: true, name: true } });
    return bindings.map((b) => view(b, hosts.find((h) => h.id === b.hostId)?.name ?? b.hostId));
  }

  /** An INACTIVE binding on the host (the pre-plugged destination). */
  async create(portId: string, hostRef: string): Promise<PortBindingDto> {
    const port = await this.port(portId);
    if (port.deviceOwner === 'router_interface' || port.deviceOwner === 'router_gateway') {
      throw new UnprocessableEntityException({
        message: `${port.deviceOwner} ports are placed by their router, not bound`,
        details: { deviceOwner: port.deviceOwner },
      });
    }
    const host = await resolveHost(this.hosts, hostRef);
    if (await this.bindings.existsBy({ portId, hostId: host.id })) {
      throw new ConflictException({ message: `port ${portId} already has a binding on ${host.name}`, details: { host: host.name } });
    }
    const network = await this.networks.findOneByOrFail({ id: port.networkId });
    const binding = await this.bindings.save(
      this.bindings.create({ portId, hostId: host.id, status: 'INACTIVE', vifDetails: vifDetails(network.vni, port.id) }),
    );
    return view(binding, host.name);
  }

  /** Makes the host's binding ACTIVE and the previously ACTIVE one INACTIVE, in one transaction. */
  async activate(portId: string, hostRef: string): Promise<PortBindingDto> {
    const { host, binding } = await this.binding(portId, hostRef);
    if (binding.status === 'ACTIVE') {
      throw new ConflictException({
        message: `the binding of port ${portId} on ${host.name} is already ACTIVE`,
        details: { host: host.name, status: binding.status },
      });
    }
    await this.dataSource.transaction(async (m) => {
      await m.update(PortBindingEntity, { portId, status: 'ACTIVE' }, { status: 'INACTIVE' });
      await m.update(PortBindingEntity, { portId, hostId: host.id }, { status: 'ACTIVE' });
    });
    return view({ ...binding, status: 'ACTIVE' }, host.name);
  }

  /** Deletes the host's binding; the ACTIVE one only when no other binding could take over. */
  async remove(portId: string, hostRef: string): Promise<void> {
    const { host, binding } = await this.binding(portId, hostRef);
    if (binding.status === 'ACTIVE' && (await this.bindings.countBy({ portId })) > 1) {
      throw new ConflictException({
        message: `the binding of port ${portId} on ${host.name} is ACTIVE; activate another binding before deleting it`,
        details: { host: host.name, status: binding.status },
      });
    }
    await this.bindings.delete({ portId, hostId: host.id });
  }

  async find(portId: string, hostId: string): Promise<PortBindingEntity | null> {
    return this.bindings.findOneBy({ portId, hostId });
  }

  private async port(id: string): Promise<PortEntity> {
    const port = await this.ports.findOneBy({ id });
    if (!port) throw new NotFoundException({ message: `port ${id} not found`, details: { id } });
    return port;
  }

  private async binding(portId: string, hostRef: string): Promise<{ host: HostEntity; binding: PortBindingEntity }> {
    await this.port(portId);
    const host = await resolveHost(this.hosts, hostRef);
    const binding = await this.bindings.findOneBy({ portId, hostId: host.id });
    if (!binding) throw new NotFoundException({ message: `port ${portId} has no binding on ${host.name}`, details: { host: host.name } });
    return { host, binding };
  }
}

function view(binding: PortBindingEntity, host: string): PortBindingDto {
  return { host, hostId: binding.hostId, status: binding.status, vifDetails: binding.vifDetails };
}
