import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { toPage, type Page, type PageQueryDto } from '../../common/http/page';
import { newId } from '../../common/ids';
import { InstanceEntity } from '../instances/instance.entity';
import type { CreateFlavorDto } from './flavor.dto';
import { FlavorEntity } from './flavor.entity';

@Injectable()
export class FlavorsService {
  constructor(
    @InjectRepository(FlavorEntity) private readonly flavors: Repository<FlavorEntity>,
    @InjectRepository(InstanceEntity) private readonly instances: Repository<InstanceEntity>,
  ) {}

  async list(query: PageQueryDto): Promise<Page<FlavorEntity>> {
    const result = await this.flavors.findAndCount({
      order: { ramMiB: 'ASC', name: 'ASC' },
      skip: (query.page - 1) * query.limit,
      take: query.limit,
    });
    return toPage(result, query);
  }

  async get(id: string): Promise<FlavorEntity> {
    const flavor = await this.flavors.findOneBy({ id });
    if (!flavor) throw new NotFoundException({ message: `flavor ${id} not found`, details: { id } });
    return flavor;
  }

  async create(dto: CreateFlavorDto): Promise<FlavorEntity> {
    if (await this.flavors.existsBy({ name: dto.name })) {
      throw new ConflictException({ message: `a flavor named ${dto.name} already exists`, details: { field: 'name' } });
    }
    return this.flavors.save(this.flavors.create({ ...dto, id: newId() }));
  }

  async remove(id: string): Promise<void> {
    const flavor = await this.get(id);
    const count = await this.instances.countBy({ flavorId: id });
    if (count > 0) {
      throw new ConflictException({ message: `flavor ${flavor.name} is used by ${count} instance(s)`, details: { instances: count } });
    }
    await this.flavors.delete({ id });
  }
}
