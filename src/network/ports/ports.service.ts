import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { toPage, type Page } from '../../common/http/page';
import { HostsRepository } from '../../inventory/repositories/hosts.repository';
import { NetworkTransactions } from '../repositories/network-transactions';
import { PortsRepository } from '../repositories/ports.repository';
import { allocatePort } from './port-allocation';
import type { CreatePortDto, PortBindingDto, PortQueryDto } from './port.dto';
import type { PortEntity } from './port.entity';
import { resolveHost } from './resolve-host';

export type PortView = Omit<PortEntity, 'bindings'> & { bindings: PortBindingDto[] };

@Injectable()
export class PortsService {
  constructor(
    private readonly ports: PortsRepository,
    private readonly hosts: HostsRepository,
    private readonly transactions: NetworkTransactions,
  ) {}

  async list(query: PortQueryDto): Promise<Page<PortView>> {
    const [items, total] = await this.ports.page(query, query);
    return toPage([await this.views(items), total], query);
  }

  async get(id: string): Promise<PortView> {
    return (await this.views([await this.entity(id)]))[0];
  }

  async entity(id: string): Promise<PortEntity> {
    const port = await this.ports.findById(id);
    if (!port) throw new NotFoundException({ message: `port ${id} not found`, details: { id } });
    return port;
  }

  async create(dto: CreatePortDto): Promise<PortView> {
    const port = await this.transactions.change(async (tx) => {
      const subnet = await tx.subnets.findById(dto.subnetId);
      if (!subnet)
        throw new UnprocessableEntityException({ message: `subnetId ${dto.subnetId} refers to no subnet`, details: { field: 'subnetId' } });
      if (dto.networkId && dto.networkId !== subnet.networkId) {
        throw new UnprocessableEntityException({
          message: `subnet ${subnet.cidr} is not on network ${dto.networkId}`,
          details: { field: 'networkId' },
        });
      }
      const host = dto.host === undefined ? undefined : await resolveHost(this.hosts, dto.host);
      return allocatePort(tx, {
        subnet,
        deviceOwner: dto.deviceOwner ?? 'compute',
        deviceId: dto.deviceId ?? null,
        mac: dto.mac,
        fixedIp: dto.fixedIp,
        activeHostId: host?.id,
      });
    });
    return this.get(port.id);
  }

  async remove(id: string): Promise<void> {
    const port = await this.entity(id);
    if (port.deviceOwner !== 'compute') {
      throw new ConflictException({
        message: `port ${id} is a ${port.deviceOwner} port; it goes with its router or host`,
        details: { deviceOwner: port.deviceOwner },
      });
    }
    await this.transactions.change(async (tx) => {
      await tx.floatingIps.dissociatePort(id);
      await tx.ports.delete(id);
    });
  }

  private async views(ports: PortEntity[]): Promise<PortView[]> {
    if (ports.length === 0) return [];
    const bindings = await this.ports.bindingsOf(ports.map((p) => p.id));
    const hosts = await this.hosts.findByIds([...new Set(bindings.map((b) => b.hostId))]);
    const names = new Map(hosts.map((h) => [h.id, h.name]));
    return ports.map(({ bindings: _unused, ...port }) => ({
      ...port,
      bindings: bindings
        .filter((b) => b.portId === port.id)
        .map((b) => ({ host: names.get(b.hostId) ?? b.hostId, hostId: b.hostId, status: b.status, vifDetails: b.vifDetails })),
    }));
  }
}
