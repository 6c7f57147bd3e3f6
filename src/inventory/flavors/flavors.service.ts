import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { toPage, type Page, type PageQueryDto } from '../../common/http/page';
import { newId } from '../../common/ids';
import { FlavorsRepository } from '../repositories/flavors.repository';
import { InstancesRepository } from '../repositories/instances.repository';
import type { CreateFlavorDto } from './flavor.dto';
import type { FlavorEntity } from './flavor.entity';

@Injectable()
export class FlavorsService {
  constructor(
    private readonly flavors: FlavorsRepository,
    private readonly instances: InstancesRepository,
  ) {}

  async list(query: PageQueryDto): Promise<Page<FlavorEntity>> {
    return toPage(await this.flavors.page(query), query);
  }

  async get(id: string): Promise<FlavorEntity> {
    const flavor = await this.flavors.findById(id);
    if (!flavor) throw new NotFoundException({ message: `flavor ${id} not found`, details: { id } });
    return flavor;
  }

  async create(dto: CreateFlavorDto): Promise<FlavorEntity> {
    if (await this.flavors.existsByName(dto.name)) {
      throw new ConflictException({ message: `a flavor named ${dto.name} already exists`, details: { field: 'name' } });
    }
    return this.flavors.insert({ ...dto, id: newId() });
  }

  async remove(id: string): Promise<void> {
    const flavor = await this.get(id);
    const count = await this.instances.count({ flavorId: id });
    if (count > 0) {
      throw new ConflictException({ message: `flavor ${flavor.name} is used by ${count} instance(s)`, details: { instances: count } });
    }
    await this.flavors.delete(id);
  }
}
