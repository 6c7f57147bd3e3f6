import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { HostEntity } from '../../inventory/hosts/host.entity';

/** Host names for the charts' labels. */
@Injectable()
export class ReportHostsRepository {
  constructor(@InjectRepository(HostEntity) private readonly hosts: Repository<HostEntity>) {}

  async namesById(ids: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await this.hosts.find({ where: { id: In(unique) }, select: ['id', 'name'] });
    return new Map(rows.map((h) => [h.id, h.name]));
  }
}
