import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { toPage, type Page } from '../../common/http/page';
import { newId } from '../../common/ids';
import { firstFree, isHostAddress, parseCidr } from '../core/ipv4';
import { NetworkEntity } from '../networks/network.entity';
import { PortEntity } from '../ports/port.entity';
import { PortsService } from '../ports/ports.service';
import { RouterEntity } from '../routers/router.entity';
import { SubnetsService } from '../subnets/subnets.service';
import type { CreateFloatingIpDto, FloatingIpQueryDto } from './floating-ip.dto';
import { FloatingIpEntity } from './floating-ip.entity';

@Injectable()
export class FloatingIpsService {
  constructor(
    @InjectRepository(FloatingIpEntity) private readonly floatingIps: Repository<FloatingIpEntity>,
    @InjectRepository(NetworkEntity) private readonly networks: Repository<NetworkEntity>,
    @InjectRepository(PortEntity) private readonly ports: Repository<PortEntity>,
    @InjectRepository(RouterEntity) private readonly routers: Repository<RouterEntity>,
    private readonly portsService: PortsService,
    private readonly subnets: SubnetsService,
  ) {}

  async list(query: FloatingIpQueryDto): Promise<Page<FloatingIpEntity>> {
    const result = await this.floatingIps.findAndCount({
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: (query.page - 1) * query.limit,
      take: query.limit,
    });
    return toPage(result, query);
  }

  async get(id: string): Promise<FloatingIpEntity> {
    const fip = await this.floatingIps.findOneBy({ id });
    if (!fip) throw new NotFoundException({ message: `floating IP ${id} not found`, details: { id } });
    return fip;
  }

  async create(dto: CreateFloatingIpDto): Promise<FloatingIpEntity> {
    const network = await this.networks.findOneBy({ id: dto.networkId });
    if (!network)
      throw new UnprocessableEntityException({
        message: `networkId ${dto.networkId} refers to no network`,
        details: { field: 'networkId' },
      });
    if (!network.external)
      throw new UnprocessableEntityException({
        message: `network ${network.name} is not external; floating IPs come from external networks`,
        details: { field: 'networkId' },
      });
    const subnet = await this.subnets.firstOf(network.id);
    if (!subnet)
      throw new UnprocessableEntityException({
        message: `external network ${network.name} has no subnet`,
        details: { field: 'networkId' },
      });
    const used = await this.portsService.usedAddresses(subnet);
    let address = dto.address;
    if (address !== undefined) {
      if (!isHostAddress(parseCidr(subnet.cidr), address)) {
        throw new UnprocessableEntityException({
          message: `address ${address} is not a host address of ${subnet.cidr}`,
          details: { field: 'address' },
        });
      }
      if (used.has(address))
        throw new ConflictException({ message: `address ${address} is in use on ${subnet.cidr}`, details: { field: 'address' } });
    } else {
      address = firstFree(subnet.poolStart, subnet.poolEnd, used) ?? undefined;
      if (!address)
        throw new ConflictException({ message: `external subnet ${subnet.cidr} has no free address`, details: { subnetId: subnet.id } });
    }
    const fip = this.floatingIps.create({ id: newId(), networkId: network.id, address, portId: null, routerId: null });
    if (dto.portId) Object.assign(fip, await this.association(fip, dto.portId));
    return this.floatingIps.save(fip);
  }

  /** Associates with a compute port (null dissociates). */
  async associate(id: string, portId: string | null): Promise<FloatingIpEntity> {
    const fip = await this.get(id);
    Object.assign(fip, portId === null ? { portId: null, routerId: null } : await this.association(fip, portId));
    return this.floatingIps.save(fip);
  }

  async remove(id: string): Promise<void> {
    await this.get(id);
    await this.floatingIps.delete({ id });
  }

  /** Neutron's rule: a router with an interface on the port's subnet and its gateway on the FIP's network. */
  private async association(fip: FloatingIpEntity, portId: string): Promise<{ portId: string; routerId: string }> {
    const port = await this.ports.findOneBy({ id: portId });
    if (!port) throw new UnprocessableEntityException({ message: `portId ${portId} refers to no port`, details: { field: 'portId' } });
    if (port.deviceOwner !== 'compute')
      throw new UnprocessableEntityException({
        message: `port ${portId} is a ${port.deviceOwner} port; floating IPs go to compute ports`,
        details: { field: 'portId' },
      });
    const other = await this.floatingIps.findOneBy({ portId });
    if (other && other.id !== fip.id)
      throw new ConflictException({
        message: `port ${portId} already has floating IP ${other.address}`,
        details: { field: 'portId', floatingIpId: other.id },
      });
    const router = await this.routers
      .createQueryBuilder('r')
      .innerJoin(PortEntity, 'p', "p.device_id = r.id AND p.device_owner = 'router_interface'")
      .where('r.external_network_id = :networkId AND p.subnet_id = :subnetId', { networkId: fip.networkId, subnetId: port.subnetId })
      .orderBy('r.id')
      .getOne();
    if (!router) {
      throw new UnprocessableEntityException({
        message: `external network ${fip.networkId} is not reachable from subnet ${port.subnetId}: no router has an interface there and its gateway on that network`,
        details: { field: 'portId' },
      });
    }
    return { portId, routerId: router.id };
  }
}
