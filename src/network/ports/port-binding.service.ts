import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import type { HostEntity } from '../../inventory/hosts/host.entity';
import { HostsRepository } from '../../inventory/repositories/hosts.repository';
import { NetworkTransactions } from '../repositories/network-transactions';
import { PortsRepository } from '../repositories/ports.repository';
import type { PortBindingDto } from './port.dto';
import type { PortBindingEntity } from './port-binding.entity';
import type { PortEntity } from './port.entity';
import { resolveHost } from './resolve-host';
import { vifDetails } from './vif-details';

/**
 * Neutron's multiple port bindings: a migration creates an INACTIVE binding on the destination,
 * activates it at switchover (the source's becomes INACTIVE) and deletes the source's at the end.
 * At most one binding of a port is ACTIVE. Each change commits with its revision bump.
 */
@Injectable()
export class PortBindingService {
  constructor(
    private readonly ports: PortsRepository,
    private readonly hosts: HostsRepository,
    private readonly transactions: NetworkTransactions,
  ) {}

  async list(portId: string): Promise<PortBindingDto[]> {
    await this.port(portId);
    const bindings = await this.ports.bindingsOf([portId]);
    const hosts = await this.hosts.findByIds([...new Set(bindings.map((b) => b.hostId))]);
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
    const binding = await this.transactions.change(async (tx) => {
      if (await tx.ports.findBinding(portId, host.id)) {
        throw new ConflictException({ message: `port ${portId} already has a binding on ${host.name}`, details: { host: host.name } });
      }
      const network = await tx.networks.getById(port.networkId);
      return tx.ports.insertBinding({ portId, hostId: host.id, status: 'INACTIVE', vifDetails: vifDetails(network.vni, port.id) });
    });
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
    await this.transactions.change((tx) => tx.ports.activateBinding(portId, host.id));
    return view({ ...binding, status: 'ACTIVE' }, host.name);
  }

  /** Deletes the host's binding; the ACTIVE one only when no other binding could take over. */
  async remove(portId: string, hostRef: string): Promise<void> {
    const { host, binding } = await this.binding(portId, hostRef);
    await this.transactions.change(async (tx) => {
      if (binding.status === 'ACTIVE' && (await tx.ports.countBindings(portId)) > 1) {
        throw new ConflictException({
          message: `the binding of port ${portId} on ${host.name} is ACTIVE; activate another binding before deleting it`,
          details: { host: host.name, status: binding.status },
        });
      }
      await tx.ports.deleteBinding(portId, host.id);
    });
  }

  find(portId: string, hostId: string): Promise<PortBindingEntity | null> {
    return this.ports.findBinding(portId, hostId);
  }

  private async port(id: string): Promise<PortEntity> {
    const port = await this.ports.findById(id);
    if (!port) throw new NotFoundException({ message: `port ${id} not found`, details: { id } });
    return port;
  }

  private async binding(portId: string, hostRef: string): Promise<{ host: HostEntity; binding: PortBindingEntity }> {
    await this.port(portId);
    const host = await resolveHost(this.hosts, hostRef);
    const binding = await this.ports.findBinding(portId, host.id);
    if (!binding) throw new NotFoundException({ message: `port ${portId} has no binding on ${host.name}`, details: { host: host.name } });
    return { host, binding };
  }
}

function view(binding: PortBindingEntity, host: string): PortBindingDto {
  return { host, hostId: binding.hostId, status: binding.status, vifDetails: binding.vifDetails };
}
