import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { toPage, type Page } from '../../common/http/page';
import { newId } from '../../common/ids';
import { Transactions } from '../../common/repositories/transactions';
import { HostsRepository } from '../repositories/hosts.repository';
import { InstancesRepository } from '../repositories/instances.repository';
import type { CreateHostDto, HostQueryDto, UpdateHostDto } from './host.dto';
import { HostChanges } from './host-changes';
import type { HostEntity } from './host.entity';

@Injectable()
export class HostsService {
  constructor(
    private readonly hosts: HostsRepository,
    private readonly instances: InstancesRepository,
    private readonly transactions: Transactions,
    private readonly changes: HostChanges,
  ) {}

  async list(query: HostQueryDto): Promise<Page<HostEntity>> {
    return toPage(await this.hosts.page({ state: query.state }, query), query);
  }

  async get(id: string): Promise<HostEntity> {
    const host = await this.hosts.findById(id);
    if (!host) throw new NotFoundException({ message: `host ${id} not found`, details: { id } });
    return host;
  }

  async create(dto: CreateHostDto): Promise<HostEntity> {
    await this.assertNameFree(dto.name);
    return this.hosts.insert({
      ...dto,
      id: newId(),
      state: dto.state ?? 'enabled',
      agentEndpoint: dto.agentEndpoint ?? null,
      agentToken: dto.agentToken ?? null,
      vtepIp: dto.vtepIp ?? null,
      agentState: null,
      agentLastSeenAt: null,
    });
  }

  async update(id: string, dto: UpdateHostDto): Promise<HostEntity> {
    const host = await this.get(id);
    if (dto.name && dto.name !== host.name) await this.assertNameFree(dto.name);
    // The stored token would follow the endpoint wherever it now points: whoever moves it must know it.
    const endpointMoves = typeof dto.agentEndpoint === 'string' && dto.agentEndpoint !== host.agentEndpoint;
    if (endpointMoves && host.agentToken !== null && dto.agentToken === undefined) {
      throw new BadRequestException({
        message: 'changing agentEndpoint needs agentToken in the same request',
        details: { fields: ['agentToken'] },
      });
    }
    const vtepChanged = dto.vtepIp !== undefined && dto.vtepIp !== host.vtepIp;
    if (!vtepChanged) return this.hosts.save(host, dto);
    // Observers (the network model's revision) write their part in the same transaction.
    return this.transactions.run(async (tx) => {
      const saved = await this.hosts.inTransaction(tx).save(host, dto);
      await this.changes.vtepChanged({ hostId: id, vtepIp: saved.vtepIp }, tx);
      return saved;
    });
  }

  async remove(id: string): Promise<void> {
    const host = await this.get(id);
    const count = await this.instances.count({ hostId: id });
    if (count > 0) {
      throw new ConflictException({
        message: `host ${host.name} still has ${count} instance(s); migrate or delete them first`,
        details: { instances: count },
      });
    }
    await this.hosts.delete(id);
  }

  private async assertNameFree(name: string): Promise<void> {
    if (await this.hosts.existsByName(name)) {
      throw new ConflictException({ message: `a host named ${name} already exists`, details: { field: 'name' } });
    }
  }
}
