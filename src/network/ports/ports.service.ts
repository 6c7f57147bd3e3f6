import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomInt } from 'node:crypto';
import { DataSource, In, type EntityManager, type Repository } from 'typeorm';
import { toPage, type Page } from '../../common/http/page';
import { newId } from '../../common/ids';
import { HostEntity } from '../../inventory/hosts/host.entity';
import { firstFree, isHostAddress, parseCidr } from '../core/ipv4';
import { portMac } from '../core/mac';
import type { DeviceOwner } from '../core/network-model';
import { FloatingIpEntity } from '../floating-ips/floating-ip.entity';
import { NetworkEntity } from '../networks/network.entity';
import { SubnetEntity } from '../subnets/subnet.entity';
import type { CreatePortDto, PortBindingDto, PortQueryDto } from './port.dto';
import { PortBindingEntity } from './port-binding.entity';
import { PortEntity } from './port.entity';
import { resolveHost } from './resolve-host';
import { vifDetails } from './vif-details';

export interface PortSpec {
  subnet: SubnetEntity;
  deviceOwner: DeviceOwner;
  deviceId: string | null;
  mac?: string;
  fixedIp?: string;
  /** An ACTIVE binding on this host. */
  activeHostId?: string;
}

export type PortView = Omit<PortEntity, 'bindings'> & { bindings: PortBindingDto[] };

@Injectable()
export class PortsService {
  constructor(
    @InjectRepository(PortEntity) private readonly ports: Repository<PortEntity>,
    @InjectRepository(PortBindingEntity) private readonly bindings: Repository<PortBindingEntity>,
    @InjectRepository(SubnetEntity) private readonly subnets: Repository<SubnetEntity>,
    @InjectRepository(HostEntity) private readonly hosts: Repository<HostEntity>,
    @InjectRepository(FloatingIpEntity) private readonly floatingIps: Repository<FloatingIpEntity>,
    private readonly dataSource: DataSource,
  ) {}

  async list(query: PortQueryDto): Promise<Page<PortView>> {
    const where = {
      ...(query.networkId ? { networkId: query.networkId } : {}),
      ...(query.deviceId ? { deviceId: query.deviceId } : {}),
      ...(query.deviceOwner ? { deviceOwner: query.deviceOwner } : {}),
    };
    const [items, total] = await this.ports.findAndCount({
      where,
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: (query.page - 1) * query.limit,
      take: query.limit,
    });
    return toPage([await this.views(items), total], query);
  }

  async get(id: string): Promise<PortView> {
    return (await this.views([await this.entity(id)]))[0];
  }

  async entity(id: string): Promise<PortEntity> {
    const port = await this.ports.findOneBy({ id });
    if (!port) throw new NotFoundException({ message: `port ${id} not found`, details: { id } });
    return port;
  }

  async create(dto: CreatePortDto): Promise<PortView> {
    const subnet = await this.subnets.findOneBy({ id: dto.subnetId });
    if (!subnet)
      throw new UnprocessableEntityException({ message: `subnetId ${dto.subnetId} refers to no subnet`, details: { field: 'subnetId' } });
    if (dto.networkId && dto.networkId !== subnet.networkId) {
      throw new UnprocessableEntityException({
        message: `subnet ${subnet.cidr} is not on network ${dto.networkId}`,
        details: { field: 'networkId' },
      });
    }
    const host = dto.host === undefined ? undefined : await resolveHost(this.hosts, dto.host);
    const port = await this.allocate({
      subnet,
      deviceOwner: dto.deviceOwner ?? 'compute',
      deviceId: dto.deviceId ?? null,
      mac: dto.mac,
      fixedIp: dto.fixedIp,
      activeHostId: host?.id,
    });
    return this.get(port.id);
  }

  /** Makes a port of any owner: checks or allocates its MAC and fixed IP, and binds it when asked. */
  async allocate(spec: PortSpec, manager: EntityManager = this.dataSource.manager): Promise<PortEntity> {
    const { subnet } = spec;
    const mac = spec.mac ?? (await this.freeMac(manager));
    if (spec.mac && (await manager.existsBy(PortEntity, { mac }))) {
      throw new ConflictException({ message: `MAC ${mac} is in use by another port`, details: { field: 'mac' } });
    }
    const used = await this.usedAddresses(subnet, manager);
    let fixedIp = spec.fixedIp;
    if (fixedIp !== undefined) {
      if (!isHostAddress(parseCidr(subnet.cidr), fixedIp)) {
        throw new UnprocessableEntityException({
          message: `fixedIp ${fixedIp} is not a host address of subnet ${subnet.cidr}`,
          details: { field: 'fixedIp' },
        });
      }
      const gatewayOk = spec.deviceOwner === 'router_interface' && fixedIp === subnet.gatewayIp;
      if (used.has(fixedIp) && !(gatewayOk && !(await manager.existsBy(PortEntity, { subnetId: subnet.id, fixedIp })))) {
        throw new ConflictException({ message: `IP ${fixedIp} is in use on subnet ${subnet.cidr}`, details: { field: 'fixedIp' } });
      }
    } else {
      const free = firstFree(subnet.poolStart, subnet.poolEnd, used);
      if (!free)
        throw new ConflictException({
          message: `subnet ${subnet.cidr} has no free address in its pool ${subnet.poolStart}-${subnet.poolEnd}`,
          details: { subnetId: subnet.id },
        });
      fixedIp = free;
    }
    const port = await manager.save(
      manager.create(PortEntity, {
        id: newId(),
        networkId: subnet.networkId,
        subnetId: subnet.id,
        mac,
        fixedIp,
        deviceOwner: spec.deviceOwner,
        deviceId: spec.deviceId,
      }),
    );
    if (spec.activeHostId) {
      const network = await manager.findOneByOrFail(NetworkEntity, { id: subnet.networkId });
      await manager.save(
        manager.create(PortBindingEntity, {
          portId: port.id,
          hostId: spec.activeHostId,
          status: 'ACTIVE',
          vifDetails: vifDetails(network.vni, port.id),
        }),
      );
    }
    return port;
  }

  async remove(id: string): Promise<void> {
    const port = await this.entity(id);
    if (port.deviceOwner !== 'compute') {
      throw new ConflictException({
        message: `port ${id} is a ${port.deviceOwner} port; it goes with its router or host`,
        details: { deviceOwner: port.deviceOwner },
      });
    }
    await this.dataSource.transaction(async (m) => {
      await m.update(FloatingIpEntity, { portId: id }, { portId: null, routerId: null });
      await m.delete(PortBindingEntity, { portId: id });
      await m.delete(PortEntity, { id });
    });
  }

  /** Every address of the subnet that is taken: ports, the gateway, floating IPs. */
  async usedAddresses(subnet: SubnetEntity, manager: EntityManager = this.dataSource.manager): Promise<Set<string>> {
    const [ports, fips] = await Promise.all([
      manager.find(PortEntity, { where: { subnetId: subnet.id }, select: { fixedIp: true } }),
      manager.find(FloatingIpEntity, { where: { networkId: subnet.networkId }, select: { address: true } }),
    ]);
    return new Set([subnet.gatewayIp, ...ports.map((p) => p.fixedIp), ...fips.map((f) => f.address)]);
  }

  async views(ports: PortEntity[]): Promise<PortView[]> {
    if (ports.length === 0) return [];
    const bindings = await this.bindings.find({ where: { portId: In(ports.map((p) => p.id)) }, order: { createdAt: 'ASC' } });
    const hostIds = [...new Set(bindings.map((b) => b.hostId))];
    const hosts = hostIds.length ? await this.hosts.find({ where: { id: In(hostIds) }, select: { id: true, name: true } }) : [];
    const names = new Map(hosts.map((h) => [h.id, h.name]));
    return ports.map(({ bindings: _unused, ...port }) => ({
      ...port,
      bindings: bindings
        .filter((b) => b.portId === port.id)
        .map((b) => ({ host: names.get(b.hostId) ?? b.hostId, hostId: b.hostId, status: b.status, vifDetails: b.vifDetails })),
    }));
  }

  private async freeMac(manager: EntityManager): Promise<string> {
    for (let attempt = 0; attempt < 16; attempt++) {
      const mac = portMac([randomInt(256), randomInt(256), randomInt(256)]);
      if (!(await manager.existsBy(PortEntity, { mac }))) return mac;
    }
    throw new ConflictException({ message: 'could not find a free MAC address', details: null });
  }
}
