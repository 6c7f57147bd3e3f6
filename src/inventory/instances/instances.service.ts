import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { FindOptionsWhere, Repository } from 'typeorm';
import { toPage, type Page } from '../../common/http/page';
import { newId } from '../../common/ids';
import { FlavorEntity } from '../flavors/flavor.entity';
import { HostEntity } from '../hosts/host.entity';
import type { CreateInstanceDto, InstanceQueryDto, UpdateInstanceDto } from './instance.dto';
import { InstanceEntity } from './instance.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class InstancesService {
  constructor(
    @InjectRepository(InstanceEntity) private readonly instances: Repository<InstanceEntity>,
    @InjectRepository(HostEntity) private readonly hosts: Repository<HostEntity>,
    @InjectRepository(FlavorEntity) private readonly flavors: Repository<FlavorEntity>,
  ) {}

  async list(query: InstanceQueryDto): Promise<Page<InstanceEntity>> {
    const where: FindOptionsWhere<InstanceEntity> = {};
    if (query.state) where.state = query.state;
    if (query.host) where.hostId = UUID.test(query.host) ? query.host : ((await this.hosts.findOneBy({ name: query.host }))?.id ?? '-');
    if (query.flavor)
      where.flavorId = UUID.test(query.flavor) ? query.flavor : ((await this.flavors.findOneBy({ name: query.flavor }))?.id ?? '-');
    const result = await this.instances.findAndCount({
      where,
      order: { name: 'ASC' },
      skip: (query.page - 1) * query.limit,
      take: query.limit,
    });
    return toPage(result, query);
  }

  async get(id: string): Promise<InstanceEntity> {
    const instance = await this.instances.findOneBy({ id });
    if (!instance) throw new NotFoundException({ message: `instance ${id} not found`, details: { id } });
    return instance;
  }

  async create(dto: CreateInstanceDto): Promise<InstanceEntity> {
    await this.assertReferences(dto.hostId, dto.flavorId);
    if (await this.instances.existsBy({ name: dto.name })) {
      throw new ConflictException({ message: `an instance named ${dto.name} already exists`, details: { field: 'name' } });
    }
    if (await this.instances.existsBy({ domainUuid: dto.domainUuid })) {
      throw new ConflictException({ message: `domain ${dto.domainUuid} is already registered`, details: { field: 'domainUuid' } });
    }
    return this.instances.save(
      this.instances.create({ ...dto, id: newId(), state: dto.state ?? 'active', ipAddress: dto.ipAddress ?? null }),
    );
  }

  async update(id: string, dto: UpdateInstanceDto): Promise<InstanceEntity> {
    const instance = await this.get(id);
    if (dto.hostId) await this.assertReferences(dto.hostId, undefined);
    return this.instances.save(this.instances.merge(instance, dto));
  }

  async remove(id: string): Promise<void> {
    await this.get(id);
    await this.instances.delete({ id });
  }

  private async assertReferences(hostId: string | undefined, flavorId: string | undefined): Promise<void> {
    if (hostId && !(await this.hosts.existsBy({ id: hostId }))) {
      throw new UnprocessableEntityException({ message: `hostId ${hostId} refers to no host`, details: { field: 'hostId' } });
    }
    if (flavorId && !(await this.flavors.existsBy({ id: flavorId }))) {
      throw new UnprocessableEntityException({ message: `flavorId ${flavorId} refers to no flavor`, details: { field: 'flavorId' } });
    }
  }
}
