import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { toPage, type Page } from '../../common/http/page';
import { newId } from '../../common/ids';
import { FlavorsRepository } from '../repositories/flavors.repository';
import { HostsRepository } from '../repositories/hosts.repository';
import { InstancesRepository, type InstanceFilter } from '../repositories/instances.repository';
import type { CreateInstanceDto, InstanceQueryDto, UpdateInstanceDto } from './instance.dto';
import type { InstanceEntity } from './instance.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class InstancesService {
  constructor(
    private readonly instances: InstancesRepository,
    private readonly hosts: HostsRepository,
    private readonly flavors: FlavorsRepository,
  ) {}

  async list(query: InstanceQueryDto): Promise<Page<InstanceEntity>> {
    const filter: InstanceFilter = {};
    if (query.state) filter.state = query.state;
    // A name that matches nothing filters everything out ('-' is no id).
    if (query.host) filter.hostId = UUID.test(query.host) ? query.host : ((await this.hosts.findByName(query.host))?.id ?? '-');
    if (query.flavor) filter.flavorId = UUID.test(query.flavor) ? query.flavor : ((await this.flavors.findByName(query.flavor))?.id ?? '-');
    return toPage(await this.instances.page(filter, query), query);
  }

  async get(id: string): Promise<InstanceEntity> {
    const instance = await this.instances.findById(id);
    if (!instance) throw new NotFoundException({ message: `instance ${id} not found`, details: { id } });
    return instance;
  }

  async create(dto: CreateInstanceDto): Promise<InstanceEntity> {
    await this.assertReferences(dto.hostId, dto.flavorId);
    if (await this.instances.existsByName(dto.name)) {
      throw new ConflictException({ message: `an instance named ${dto.name} already exists`, details: { field: 'name' } });
    }
    if (await this.instances.existsByDomainUuid(dto.domainUuid)) {
      throw new ConflictException({ message: `domain ${dto.domainUuid} is already registered`, details: { field: 'domainUuid' } });
    }
    return this.instances.insert({ ...dto, id: newId(), state: dto.state ?? 'active', ipAddress: dto.ipAddress ?? null });
  }

  async update(id: string, dto: UpdateInstanceDto): Promise<InstanceEntity> {
    const instance = await this.get(id);
    if (dto.hostId) await this.assertReferences(dto.hostId, undefined);
    return this.instances.save(instance, dto);
  }

  async remove(id: string): Promise<void> {
    await this.get(id);
    await this.instances.delete(id);
  }

  private async assertReferences(hostId: string | undefined, flavorId: string | undefined): Promise<void> {
    if (hostId && !(await this.hosts.existsById(hostId))) {
      throw new UnprocessableEntityException({ message: `hostId ${hostId} refers to no host`, details: { field: 'hostId' } });
    }
    if (flavorId && !(await this.flavors.existsById(flavorId))) {
      throw new UnprocessableEntityException({ message: `flavorId ${flavorId} refers to no flavor`, details: { field: 'flavorId' } });
    }
  }
}
