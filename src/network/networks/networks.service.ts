import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { toPage, type Page, type PageQueryDto } from '../../common/http/page';
import { newId } from '../../common/ids';
import { PortEntity } from '../ports/port.entity';
import { RouterEntity } from '../routers/router.entity';
import { SubnetEntity } from '../subnets/subnet.entity';
import type { CreateNetworkDto, UpdateNetworkDto } from './network.dto';
import { NetworkEntity } from './network.entity';

export const DEFAULT_MTU = 1450;

@Injectable()
export class NetworksService {
  constructor(
    @InjectRepository(NetworkEntity) private readonly networks: Repository<NetworkEntity>,
    @InjectRepository(SubnetEntity) private readonly subnets: Repository<SubnetEntity>,
    @InjectRepository(PortEntity) private readonly ports: Repository<PortEntity>,
    @InjectRepository(RouterEntity) private readonly routers: Repository<RouterEntity>,
  ) {}

  async list(query: PageQueryDto): Promise<Page<NetworkEntity>> {
    const result = await this.networks.findAndCount({ order: { vni: 'ASC' }, skip: (query.page - 1) * query.limit, take: query.limit });
    return toPage(result, query);
  }

  async get(id: string): Promise<NetworkEntity> {
    const network = await this.networks.findOneBy({ id });
    if (!network) throw new NotFoundException({ message: `network ${id} not found`, details: { id } });
    return network;
  }

  async create(dto: CreateNetworkDto): Promise<NetworkEntity> {
    const holder = await this.networks.findOneBy({ vni: dto.vni });
    if (holder)
      throw new ConflictException({
        message: `VNI ${dto.vni} is taken by network ${holder.name}`,
        details: { field: 'vni', networkId: holder.id },
      });
    return this.networks.save(
      this.networks.create({
        id: newId(),
        name: dto.name,
        vni: dto.vni,
        mtu: dto.mtu ?? DEFAULT_MTU,
        external: dto.external ?? false,
        staticVteps: dto.staticVteps ?? [],
      }),
    );
  }

  async update(id: string, dto: UpdateNetworkDto): Promise<NetworkEntity> {
    return this.networks.save(this.networks.merge(await this.get(id), dto));
  }

  async remove(id: string): Promise<void> {
    const network = await this.get(id);
    const [subnets, ports, routers] = await Promise.all([
      this.subnets.countBy({ networkId: id }),
      this.ports.countBy({ networkId: id }),
      this.routers.countBy({ externalNetworkId: id }),
    ]);
    if (subnets + ports + routers > 0) {
      throw new ConflictException({
        message: `network ${network.name} is in use (${subnets} subnet(s), ${ports} port(s), ${routers} router gateway(s)); remove them first`,
        details: { subnets, ports, routers },
      });
    }
    await this.networks.delete({ id });
  }
}
