import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { toPage, type Page } from '../../common/http/page';
import { newId } from '../../common/ids';
import { cidrSize, cidrsOverlap, ipToNumber, isHostAddress, numberToIp, parseCidr } from '../core/ipv4';
import { NetworkEntity } from '../networks/network.entity';
import { PortEntity } from '../ports/port.entity';
import type { CreateSubnetDto, SubnetQueryDto } from './subnet.dto';
import { SubnetEntity } from './subnet.entity';

@Injectable()
export class SubnetsService {
  constructor(
    @InjectRepository(SubnetEntity) private readonly subnets: Repository<SubnetEntity>,
    @InjectRepository(NetworkEntity) private readonly networks: Repository<NetworkEntity>,
    @InjectRepository(PortEntity) private readonly ports: Repository<PortEntity>,
  ) {}

  async list(query: SubnetQueryDto): Promise<Page<SubnetEntity>> {
    const result = await this.subnets.findAndCount({
      where: query.networkId ? { networkId: query.networkId } : {},
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: (query.page - 1) * query.limit,
      take: query.limit,
    });
    return toPage(result, query);
  }

  async get(id: string): Promise<SubnetEntity> {
    const subnet = await this.subnets.findOneBy({ id });
    if (!subnet) throw new NotFoundException({ message: `subnet ${id} not found`, details: { id } });
    return subnet;
  }

  /** The network's first subnet (external networks: where gateways and floating IPs come from). */
  async firstOf(networkId: string): Promise<SubnetEntity | null> {
    return this.subnets.findOne({ where: { networkId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async create(dto: CreateSubnetDto): Promise<SubnetEntity> {
    const network = await this.networks.findOneBy({ id: dto.networkId });
    if (!network)
      throw new UnprocessableEntityException({
        message: `networkId ${dto.networkId} refers to no network`,
        details: { field: 'networkId' },
      });
    const cidr = parseCidr(dto.cidr);
    const firstHost = cidr.network + 1;
    const lastHost = cidr.network + cidrSize(cidr) - 2;
    const gatewayIp = dto.gatewayIp ?? numberToIp(firstHost);
    if (!isHostAddress(cidr, gatewayIp)) {
      throw new UnprocessableEntityException({
        message: `gatewayIp ${gatewayIp} is not a host address of ${dto.cidr}`,
        details: { field: 'gatewayIp' },
      });
    }
    const pool = dto.allocationPool ?? { start: numberToIp(firstHost), end: numberToIp(lastHost) };
    for (const [name, ip] of [
      ['start', pool.start],
      ['end', pool.end],
    ] as const) {
      if (!isHostAddress(cidr, ip)) {
        throw new UnprocessableEntityException({
          message: `allocationPool.${name} ${ip} is not a host address of ${dto.cidr}`,
          details: { field: `allocationPool.${name}` },
        });
      }
    }
    if (ipToNumber(pool.start) > ipToNumber(pool.end)) {
      throw new UnprocessableEntityException({
        message: `allocationPool starts (${pool.start}) after it ends (${pool.end})`,
        details: { field: 'allocationPool' },
      });
    }
    const overlapping = (await this.subnets.findBy({ networkId: network.id })).find((s) => cidrsOverlap(parseCidr(s.cidr), cidr));
    if (overlapping) {
      throw new ConflictException({
        message: `${dto.cidr} overlaps subnet ${overlapping.cidr} of network ${network.name}`,
        details: { field: 'cidr', subnetId: overlapping.id },
      });
    }
    return this.subnets.save(
      this.subnets.create({ id: newId(), networkId: network.id, cidr: dto.cidr, gatewayIp, poolStart: pool.start, poolEnd: pool.end }),
    );
  }

  async remove(id: string): Promise<void> {
    const subnet = await this.get(id);
    const ports = await this.ports.countBy({ subnetId: id });
    if (ports > 0) throw new ConflictException({ message: `subnet ${subnet.cidr} still has ${ports} port(s)`, details: { ports } });
    await this.subnets.delete({ id });
  }
}
