import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager, type Repository } from 'typeorm';
import { toPage, type Page } from '../../common/http/page';
import { newId } from '../../common/ids';
import { HostEntity } from '../../inventory/hosts/host.entity';
import { cidrsOverlap, parseCidr } from '../core/ipv4';
import { FloatingIpEntity } from '../floating-ips/floating-ip.entity';
import { NetworkEntity } from '../networks/network.entity';
import { PortEntity } from '../ports/port.entity';
import { PortsService } from '../ports/ports.service';
import { SubnetEntity } from '../subnets/subnet.entity';
import { SubnetsService } from '../subnets/subnets.service';
import type { CreateRouterDto, RouterDto, RouterPortDto, RouterQueryDto, UpdateRouterDto } from './router.dto';
import { RouterEntity } from './router.entity';

@Injectable()
export class RoutersService {
  constructor(
    @InjectRepository(RouterEntity) private readonly routers: Repository<RouterEntity>,
    @InjectRepository(NetworkEntity) private readonly networks: Repository<NetworkEntity>,
    @InjectRepository(SubnetEntity) private readonly subnetRepo: Repository<SubnetEntity>,
    @InjectRepository(PortEntity) private readonly ports: Repository<PortEntity>,
    @InjectRepository(HostEntity) private readonly hosts: Repository<HostEntity>,
    @InjectRepository(FloatingIpEntity) private readonly floatingIps: Repository<FloatingIpEntity>,
    private readonly portsService: PortsService,
    private readonly subnets: SubnetsService,
    private readonly dataSource: DataSource,
  ) {}

  async list(query: RouterQueryDto): Promise<Page<RouterDto>> {
    const [items, total] = await this.routers.findAndCount({
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: (query.page - 1) * query.limit,
      take: query.limit,
    });
    return toPage([await Promise.all(items.map((r) => this.view(r))), total], query);
  }

  async get(id: string): Promise<RouterDto> {
    return this.view(await this.entity(id));
  }

  async create(dto: CreateRouterDto): Promise<RouterDto> {
    const distributed = dto.distributed ?? true;
    if (distributed && dto.legacyHostId) {
      throw new UnprocessableEntityException({
        message: 'a distributed router lives on every host with its ports; legacyHostId is only for distributed=false',
        details: { field: 'legacyHostId' },
      });
    }
    if (!distributed) {
      if (!dto.legacyHostId)
        throw new UnprocessableEntityException({
          message: 'a non-distributed router needs legacyHostId',
          details: { field: 'legacyHostId' },
        });
      if (!(await this.hosts.existsBy({ id: dto.legacyHostId }))) {
        throw new UnprocessableEntityException({
          message: `legacyHostId ${dto.legacyHostId} refers to no host`,
          details: { field: 'legacyHostId' },
        });
      }
    }
    const router = this.routers.create({
      id: newId(),
      name: dto.name,
      distributed,
      legacyHostId: distributed ? null : (dto.legacyHostId ?? null),
      externalNetworkId: null,
    });
    await this.dataSource.transaction(async (m) => {
      await m.save(router);
      if (dto.externalNetworkId) {
        await this.setGateway(m, router, dto.externalNetworkId);
        await m.save(router);
      }
    });
    return this.get(router.id);
  }

  async update(id: string, dto: UpdateRouterDto): Promise<RouterDto> {
    const router = await this.entity(id);
    await this.dataSource.transaction(async (m) => {
      if (dto.name !== undefined) router.name = dto.name;
      if (dto.externalNetworkId !== undefined && dto.externalNetworkId !== router.externalNetworkId) {
        await this.clearGateway(m, router);
        if (dto.externalNetworkId) await this.setGateway(m, router, dto.externalNetworkId);
      }
      await m.save(router);
    });
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    const router = await this.entity(id);
    const interfaces = await this.ports.countBy({ deviceOwner: 'router_interface', deviceId: id });
    if (interfaces > 0)
      throw new ConflictException({
        message: `router ${router.name} still has ${interfaces} interface(s); remove them first`,
        details: { interfaces },
      });
    await this.dataSource.transaction(async (m) => {
      await this.clearGateway(m, router);
      await m.delete(RouterEntity, { id });
    });
  }

  async addInterface(id: string, subnetId: string): Promise<RouterDto> {
    const router = await this.entity(id);
    const subnet = await this.subnetRepo.findOneBy({ id: subnetId });
    if (!subnet)
      throw new UnprocessableEntityException({ message: `subnetId ${subnetId} refers to no subnet`, details: { field: 'subnetId' } });
    const network = await this.networks.findOneByOrFail({ id: subnet.networkId });
    if (network.external) {
      throw new UnprocessableEntityException({
        message: `subnet ${subnet.cidr} is on external network ${network.name}; set it as the router's gateway instead`,
        details: { field: 'subnetId' },
      });
    }
    const attached = await this.ports.findBy({ deviceOwner: 'router_interface', deviceId: id });
    const attachedSubnets = attached.length ? await this.subnetRepo.findBy({ id: In(attached.map((p) => p.subnetId)) }) : [];
    const clash = attachedSubnets.find((s) => cidrsOverlap(parseCidr(s.cidr), parseCidr(subnet.cidr)));
    if (clash) {
      const what =
        clash.id === subnet.id
          ? `already has an interface on ${subnet.cidr}`
          : `has an interface on ${clash.cidr}, which overlaps ${subnet.cidr}`;
      throw new ConflictException({ message: `router ${router.name} ${what}`, details: { field: 'subnetId', subnetId: clash.id } });
    }
    const holder = await this.ports.findOneBy({ subnetId, fixedIp: subnet.gatewayIp });
    if (holder) {
      const by = holder.deviceOwner === 'router_interface' ? `router ${holder.deviceId}` : `port ${holder.id}`;
      throw new ConflictException({
        message: `the gateway IP ${subnet.gatewayIp} of subnet ${subnet.cidr} is in use by ${by}`,
        details: { field: 'subnetId', portId: holder.id },
      });
    }
    await this.portsService.allocate({ subnet, deviceOwner: 'router_interface', deviceId: router.id, fixedIp: subnet.gatewayIp });
    return this.get(id);
  }

  async removeInterface(id: string, subnetId: string): Promise<RouterDto> {
    const router = await this.entity(id);
    const port = await this.ports.findOneBy({ deviceOwner: 'router_interface', deviceId: id, subnetId });
    if (!port)
      throw new NotFoundException({ message: `router ${router.name} has no interface on subnet ${subnetId}`, details: { subnetId } });
    const served = await this.floatingIps
      .createQueryBuilder('f')
      .innerJoin(PortEntity, 'p', 'p.id = f.port_id')
      .where('f.router_id = :id AND p.subnet_id = :subnetId', { id, subnetId })
      .getCount();
    if (served > 0) {
      throw new ConflictException({
        message: `router ${router.name} serves ${served} floating IP(s) on that subnet; dissociate them first`,
        details: { floatingIps: served },
      });
    }
    await this.ports.delete({ id: port.id });
    return this.get(id);
  }

  async entity(id: string): Promise<RouterEntity> {
    const router = await this.routers.findOneBy({ id });
    if (!router) throw new NotFoundException({ message: `router ${id} not found`, details: { id } });
    return router;
  }

  private async setGateway(m: EntityManager, router: RouterEntity, networkId: string): Promise<void> {
    const network = await m.findOneBy(NetworkEntity, { id: networkId });
    if (!network)
      throw new UnprocessableEntityException({
        message: `externalNetworkId ${networkId} refers to no network`,
        details: { field: 'externalNetworkId' },
      });
    if (!network.external)
      throw new UnprocessableEntityException({
        message: `network ${network.name} is not external`,
        details: { field: 'externalNetworkId' },
      });
    const subnet = await this.subnets.firstOf(networkId);
    if (!subnet)
      throw new UnprocessableEntityException({
        message: `external network ${network.name} has no subnet to take a gateway address from`,
        details: { field: 'externalNetworkId' },
      });
    await this.portsService.allocate({ subnet, deviceOwner: 'router_gateway', deviceId: router.id }, m);
    router.externalNetworkId = networkId;
  }

  private async clearGateway(m: EntityManager, router: RouterEntity): Promise<void> {
    if (!router.externalNetworkId) return;
    const fips = await m.countBy(FloatingIpEntity, { routerId: router.id });
    if (fips > 0)
      throw new ConflictException({
        message: `router ${router.name} serves ${fips} floating IP(s); dissociate them first`,
        details: { floatingIps: fips },
      });
    await m.delete(PortEntity, { deviceOwner: 'router_gateway', deviceId: router.id });
    router.externalNetworkId = null;
  }

  private async view(router: RouterEntity): Promise<RouterDto> {
    const ports = await this.ports.find({ where: { deviceId: router.id }, order: { createdAt: 'ASC', id: 'ASC' } });
    const brief = (p: PortEntity): RouterPortDto => ({ portId: p.id, subnetId: p.subnetId, ip: p.fixedIp, mac: p.mac });
    const gateway = ports.find((p) => p.deviceOwner === 'router_gateway');
    return {
      ...router,
      gateway: gateway ? brief(gateway) : null,
      interfaces: ports.filter((p) => p.deviceOwner === 'router_interface').map(brief),
    };
  }
}
