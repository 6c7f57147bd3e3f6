import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { toPage, type Page } from '../../common/http/page';
import { newId } from '../../common/ids';
import { firstFree, isHostAddress, parseCidr } from '../core/ipv4';
import { usedAddresses } from '../ports/port-allocation';
import { FloatingIpsRepository } from '../repositories/floating-ips.repository';
import { NetworkTransactions, type NetworkRepositories } from '../repositories/network-transactions';
import type { CreateFloatingIpDto, FloatingIpQueryDto } from './floating-ip.dto';
import type { FloatingIpEntity } from './floating-ip.entity';

@Injectable()
export class FloatingIpsService {
  constructor(
    private readonly floatingIps: FloatingIpsRepository,
    private readonly transactions: NetworkTransactions,
  ) {}

  async list(query: FloatingIpQueryDto): Promise<Page<FloatingIpEntity>> {
    return toPage(await this.floatingIps.page(query), query);
  }

  async get(id: string): Promise<FloatingIpEntity> {
    const fip = await this.floatingIps.findById(id);
    if (!fip) throw new NotFoundException({ message: `floating IP ${id} not found`, details: { id } });
    return fip;
  }

  create(dto: CreateFloatingIpDto): Promise<FloatingIpEntity> {
    return this.transactions.change(async (tx) => {
      const network = await tx.networks.findById(dto.networkId);
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
      const subnet = await tx.subnets.firstOf(network.id);
      if (!subnet)
        throw new UnprocessableEntityException({
          message: `external network ${network.name} has no subnet`,
          details: { field: 'networkId' },
        });
      const used = await usedAddresses(tx, subnet);
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
      const fip = { id: newId(), networkId: network.id, address, portId: null, routerId: null };
      return tx.floatingIps.save(dto.portId ? { ...fip, ...(await association(tx, fip, dto.portId)) } : fip);
    });
  }

  /** Associates with a compute port (null dissociates). */
  async associate(id: string, portId: string | null): Promise<FloatingIpEntity> {
    const fip = await this.get(id);
    return this.transactions.change(async (tx) =>
      tx.floatingIps.save({ ...fip, ...(portId === null ? { portId: null, routerId: null } : await association(tx, fip, portId)) }),
    );
  }

  async remove(id: string): Promise<void> {
    await this.get(id);
    await this.transactions.change((tx) => tx.floatingIps.delete(id));
  }
}

/** Neutron's rule: a router with an interface on the port's subnet and its gateway on the FIP's network. */
async function association(
  tx: NetworkRepositories,
  fip: Pick<FloatingIpEntity, 'id' | 'networkId'>,
  portId: string,
): Promise<{ portId: string; routerId: string }> {
  const port = await tx.ports.findById(portId);
  if (!port) throw new UnprocessableEntityException({ message: `portId ${portId} refers to no port`, details: { field: 'portId' } });
  if (port.deviceOwner !== 'compute')
    throw new UnprocessableEntityException({
      message: `port ${portId} is a ${port.deviceOwner} port; floating IPs go to compute ports`,
      details: { field: 'portId' },
    });
  const other = await tx.floatingIps.findByPort(portId);
  if (other && other.id !== fip.id)
    throw new ConflictException({
      message: `port ${portId} already has floating IP ${other.address}`,
      details: { field: 'portId', floatingIpId: other.id },
    });
  const router = await tx.routers.findServing(fip.networkId, port.subnetId);
  if (!router) {
    throw new UnprocessableEntityException({
      message: `external network ${fip.networkId} is not reachable from subnet ${port.subnetId}: no router has an interface there and its gateway on that network`,
      details: { field: 'portId' },
    });
  }
  return { portId, routerId: router.id };
}
