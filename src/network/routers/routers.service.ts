import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { toPage, type Page } from '../../common/http/page';
import { newId } from '../../common/ids';
import { HostsRepository } from '../../inventory/repositories/hosts.repository';
import { cidrsOverlap, parseCidr } from '../core/ipv4';
import { allocatePort } from '../ports/port-allocation';
import type { PortEntity } from '../ports/port.entity';
import { NetworkTransactions, type NetworkRepositories } from '../repositories/network-transactions';
import { PortsRepository } from '../repositories/ports.repository';
import { RoutersRepository } from '../repositories/routers.repository';
import type { CreateRouterDto, RouterDto, RouterPortDto, RouterQueryDto, UpdateRouterDto } from './router.dto';
import type { RouterEntity } from './router.entity';

@Injectable()
export class RoutersService {
  constructor(
    private readonly routers: RoutersRepository,
    private readonly ports: PortsRepository,
    private readonly hosts: HostsRepository,
    private readonly transactions: NetworkTransactions,
  ) {}

  async list(query: RouterQueryDto): Promise<Page<RouterDto>> {
    const [items, total] = await this.routers.page(query);
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
      if (!(await this.hosts.existsById(dto.legacyHostId))) {
        throw new UnprocessableEntityException({
          message: `legacyHostId ${dto.legacyHostId} refers to no host`,
          details: { field: 'legacyHostId' },
        });
      }
    }
    const id = newId();
    await this.transactions.change(async (tx) => {
      const router = await tx.routers.save({
        id,
        name: dto.name,
        distributed,
        legacyHostId: distributed ? null : (dto.legacyHostId ?? null),
        externalNetworkId: null,
      });
      if (dto.externalNetworkId) {
        await setGateway(tx, router, dto.externalNetworkId);
        await tx.routers.save(router);
      }
    });
    return this.get(id);
  }

  async update(id: string, dto: UpdateRouterDto): Promise<RouterDto> {
    const router = await this.entity(id);
    await this.transactions.change(async (tx) => {
      if (dto.name !== undefined) router.name = dto.name;
      if (dto.externalNetworkId !== undefined && dto.externalNetworkId !== router.externalNetworkId) {
        await clearGateway(tx, router);
        if (dto.externalNetworkId) await setGateway(tx, router, dto.externalNetworkId);
      }
      await tx.routers.save(router);
    });
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    const router = await this.entity(id);
    await this.transactions.change(async (tx) => {
      const interfaces = await tx.ports.countByDevice('router_interface', id);
      if (interfaces > 0)
        throw new ConflictException({
          message: `router ${router.name} still has ${interfaces} interface(s); remove them first`,
          details: { interfaces },
        });
      await clearGateway(tx, router);
      await tx.routers.delete(id);
    });
  }

  async addInterface(id: string, subnetId: string): Promise<RouterDto> {
    const router = await this.entity(id);
    await this.transactions.change(async (tx) => {
      const subnet = await tx.subnets.findById(subnetId);
      if (!subnet)
        throw new UnprocessableEntityException({ message: `subnetId ${subnetId} refers to no subnet`, details: { field: 'subnetId' } });
      const network = await tx.networks.getById(subnet.networkId);
      if (network.external) {
        throw new UnprocessableEntityException({
          message: `subnet ${subnet.cidr} is on external network ${network.name}; set it as the router's gateway instead`,
          details: { field: 'subnetId' },
        });
      }
      const attached = await tx.ports.findByDevice('router_interface', id);
      const attachedSubnets = await tx.subnets.findByIds(attached.map((p) => p.subnetId));
      const clash = attachedSubnets.find((s) => cidrsOverlap(parseCidr(s.cidr), parseCidr(subnet.cidr)));
      if (clash) {
        const what =
          clash.id === subnet.id
            ? `already has an interface on ${subnet.cidr}`
            : `has an interface on ${clash.cidr}, which overlaps ${subnet.cidr}`;
        throw new ConflictException({ message: `router ${router.name} ${what}`, details: { field: 'subnetId', subnetId: clash.id } });
      }
      const holder = await tx.ports.findByAddress(subnetId, subnet.gatewayIp);
      if (holder) {
        const by = holder.deviceOwner === 'router_interface' ? `router ${holder.deviceId}` : `port ${holder.id}`;
        throw new ConflictException({
          message: `the gateway IP ${subnet.gatewayIp} of subnet ${subnet.cidr} is in use by ${by}`,
          details: { field: 'subnetId', portId: holder.id },
        });
      }
      await allocatePort(tx, { subnet, deviceOwner: 'router_interface', deviceId: router.id, fixedIp: subnet.gatewayIp });
    });
    return this.get(id);
  }

  async removeInterface(id: string, subnetId: string): Promise<RouterDto> {
    const router = await this.entity(id);
    await this.transactions.change(async (tx) => {
      const port = await tx.ports.findRouterInterface(id, subnetId);
      if (!port)
        throw new NotFoundException({ message: `router ${router.name} has no interface on subnet ${subnetId}`, details: { subnetId } });
      const served = await tx.floatingIps.countServedOn(id, subnetId);
      if (served > 0) {
        throw new ConflictException({
          message: `router ${router.name} serves ${served} floating IP(s) on that subnet; dissociate them first`,
          details: { floatingIps: served },
        });
      }
      await tx.ports.delete(port.id);
    });
    return this.get(id);
  }

  async entity(id: string): Promise<RouterEntity> {
    const router = await this.routers.findById(id);
    if (!router) throw new NotFoundException({ message: `router ${id} not found`, details: { id } });
    return router;
  }

  private async view(router: RouterEntity): Promise<RouterDto> {
    const ports = await this.ports.findOfDevice(router.id);
    const brief = (p: PortEntity): RouterPortDto => ({ portId: p.id, subnetId: p.subnetId, ip: p.fixedIp, mac: p.mac });
    const gateway = ports.find((p) => p.deviceOwner === 'router_gateway');
    return {
      ...router,
      gateway: gateway ? brief(gateway) : null,
      interfaces: ports.filter((p) => p.deviceOwner === 'router_interface').map(brief),
    };
  }
}

async function setGateway(tx: NetworkRepositories, router: RouterEntity, networkId: string): Promise<void> {
  const network = await tx.networks.findById(networkId);
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
  const subnet = await tx.subnets.firstOf(networkId);
  if (!subnet)
    throw new UnprocessableEntityException({
      message: `external network ${network.name} has no subnet to take a gateway address from`,
      details: { field: 'externalNetworkId' },
    });
  await allocatePort(tx, { subnet, deviceOwner: 'router_gateway', deviceId: router.id });
  router.externalNetworkId = networkId;
}

async function clearGateway(tx: NetworkRepositories, router: RouterEntity): Promise<void> {
  if (!router.externalNetworkId) return;
  const fips = await tx.floatingIps.countByRouter(router.id);
  if (fips > 0)
    throw new ConflictException({
      message: `router ${router.name} serves ${fips} floating IP(s); dissociate them first`,
      details: { floatingIps: fips },
    });
  await tx.ports.deleteByDevice('router_gateway', router.id);
  router.externalNetworkId = null;
}
