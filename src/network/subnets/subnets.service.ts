import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { toPage, type Page } from '../../common/http/page';
import { newId } from '../../common/ids';
import { cidrSize, cidrsOverlap, ipToNumber, isHostAddress, numberToIp, parseCidr } from '../core/ipv4';
import { NetworkTransactions } from '../repositories/network-transactions';
import { SubnetsRepository } from '../repositories/subnets.repository';
import type { CreateSubnetDto, SubnetQueryDto } from './subnet.dto';
import type { SubnetEntity } from './subnet.entity';

@Injectable()
export class SubnetsService {
  constructor(
    private readonly subnets: SubnetsRepository,
    private readonly transactions: NetworkTransactions,
  ) {}

  async list(query: SubnetQueryDto): Promise<Page<SubnetEntity>> {
    return toPage(await this.subnets.page({ networkId: query.networkId }, query), query);
  }

  async get(id: string): Promise<SubnetEntity> {
    const subnet = await this.subnets.findById(id);
    if (!subnet) throw new NotFoundException({ message: `subnet ${id} not found`, details: { id } });
    return subnet;
  }

  create(dto: CreateSubnetDto): Promise<SubnetEntity> {
    return this.transactions.change(async (tx) => {
      const network = await tx.networks.findById(dto.networkId);
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
      const overlapping = (await tx.subnets.findByNetwork(network.id)).find((s) => cidrsOverlap(parseCidr(s.cidr), cidr));
      if (overlapping) {
        throw new ConflictException({
          message: `${dto.cidr} overlaps subnet ${overlapping.cidr} of network ${network.name}`,
          details: { field: 'cidr', subnetId: overlapping.id },
        });
      }
      return tx.subnets.insert({ id: newId(), networkId: network.id, cidr: dto.cidr, gatewayIp, poolStart: pool.start, poolEnd: pool.end });
    });
  }

  async remove(id: string): Promise<void> {
    const subnet = await this.get(id);
    await this.transactions.change(async (tx) => {
      const ports = await tx.ports.countBySubnet(id);
      if (ports > 0) throw new ConflictException({ message: `subnet ${subnet.cidr} still has ${ports} port(s)`, details: { ports } });
      await tx.subnets.delete(id);
    });
  }
}
