import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { toPage, type Page, type PageQueryDto } from '../../common/http/page';
import { newId } from '../../common/ids';
import { NetworkTransactions } from '../repositories/network-transactions';
import { NetworksRepository } from '../repositories/networks.repository';
import { StretchedNetworkMtu } from '../sites/stretched-network-mtu';
import type { CreateNetworkDto, UpdateNetworkDto } from './network.dto';
import type { NetworkEntity } from './network.entity';

export const DEFAULT_MTU = 1450;

@Injectable()
export class NetworksService {
  constructor(
    private readonly networks: NetworksRepository,
    private readonly transactions: NetworkTransactions,
    private readonly stretched: StretchedNetworkMtu,
  ) {}

  async list(query: PageQueryDto): Promise<Page<NetworkEntity>> {
    return toPage(await this.networks.page(query), query);
  }

  async get(id: string): Promise<NetworkEntity> {
    const network = await this.networks.findById(id);
    if (!network) throw new NotFoundException({ message: `network ${id} not found`, details: { id } });
    return network;
  }

  create(dto: CreateNetworkDto): Promise<NetworkEntity> {
    return this.transactions.change(async (tx) => {
      const holder = await tx.networks.findByVni(dto.vni);
      if (holder)
        throw new ConflictException({
          message: `VNI ${dto.vni} is taken by network ${holder.name}`,
          details: { field: 'vni', networkId: holder.id },
        });
      return tx.networks.insert({
        id: newId(),
        name: dto.name,
        vni: dto.vni,
        mtu: dto.mtu ?? DEFAULT_MTU,
        external: dto.external ?? false,
        staticVteps: dto.staticVteps ?? [],
      });
    });
  }

  async update(id: string, dto: UpdateNetworkDto): Promise<NetworkEntity> {
    const network = await this.get(id);
    // A network stretched to another site keeps within its site links' MTU budget.
    if (dto.mtu !== undefined && dto.mtu > network.mtu) {
      const problem = await this.stretched.problem(id, dto.mtu);
      if (problem) throw new UnprocessableEntityException({ message: problem, details: { field: 'mtu', check: 'mtu' } });
    }
    return this.transactions.change((tx) => tx.networks.save(network, dto));
  }

  async remove(id: string): Promise<void> {
    const network = await this.get(id);
    await this.transactions.change(async (tx) => {
      // One at a time: the queries of a transaction share one connection.
      const subnets = await tx.subnets.countByNetwork(id);
      const ports = await tx.ports.countByNetwork(id);
      const routers = await tx.routers.countByExternalNetwork(id);
      if (subnets + ports + routers > 0) {
        throw new ConflictException({
          message: `network ${network.name} is in use (${subnets} subnet(s), ${ports} port(s), ${routers} router gateway(s)); remove them first`,
          details: { subnets, ports, routers },
        });
      }
      await tx.networks.delete(id);
    });
  }
}
