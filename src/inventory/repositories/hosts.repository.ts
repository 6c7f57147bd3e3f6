import { SEALED_PREFIX } from '../../common/sealed-secret';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Driver, type EntityMetadata, type Repository, type SelectQueryBuilder } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { HostEntity, type AgentState, type HostState } from '../hosts/host.entity';
import type { Transaction } from '../../common/repositories/transactions';
import { skipTake, type PageWindow } from './page-window';

export type HostFields = Omit<HostEntity, 'createdAt' | 'updatedAt' | 'toJSON'>;
export type HostPatch = Partial<Omit<HostEntity, 'id' | 'createdAt' | 'updatedAt' | 'toJSON'>>;

// Page SQL per database driver and filter shape (see HostsRepository.page).
const PAGE_SQL = new WeakMap<Driver, Map<string, { items: string; count: string }>>();

interface RowColumn {
  rowKey: string;
  column: ColumnMetadata;
}
const ROW_COLUMNS = new WeakMap<EntityMetadata, readonly RowColumn[]>();

/** Every read and write of compute hosts. `inTransaction(tx)` gives the same API inside a transaction. */
@Injectable()
export class HostsRepository {
  constructor(@InjectRepository(HostEntity) private readonly repo: Repository<HostEntity>) {}

  inTransaction(tx: Transaction): HostsRepository {
    return new HostsRepository(tx.manager.getRepository(HostEntity));
  }

  findById(id: string): Promise<HostEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** For references the caller knows exist (a migration's hosts): a missing one is an internal error. */
  async getById(id: string): Promise<HostEntity> {
    const host = await this.repo.findOneBy({ id });
    if (!host) throw new Error(`host ${id} does not exist`);
    return host;
  }

  findByName(name: string): Promise<HostEntity | null> {
    return this.repo.findOneBy({ name });
  }

  findByIds(ids: readonly string[]): Promise<HostEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.repo.findBy({ id: In([...ids]) });
  }

  /** All hosts by name, optionally in some states only. */
  findAll(filter: { states?: readonly HostState[] } = {}): Promise<HostEntity[]> {
    return this.repo.find({ where: filter.states ? { state: In([...filter.states]) } : {}, order: { name: 'ASC' } });
  }

  /**
   * What findAndCount answers, with the SQL built by TypeORM once per filter shape: building it and
   * hydrating through the query builder cost more CPU than the database did on GET /hosts.
   */
  async page(filter: { state?: HostState }, window: PageWindow): Promise<[HostEntity[], number]> {
    const { skip, take } = skipTake(window);
    const sql = this.pageSql(filter.state !== undefined);
    const params: unknown[] = filter.state !== undefined ? [filter.state] : [];
    const rows = await this.repo.query<Record<string, unknown>[]>(sql.items, [...params, take, skip]);
    const items = rows.map((row) => this.hydrate(row));
    // As TypeORM does: a short page that is not past the end tells the total without counting.
    if (items.length < take && (items.length > 0 || skip === 0)) return [items, skip + items.length];
    const [count] = await this.repo.query<{ cnt: string | number }[]>(sql.count, params);
    return [items, Number(count?.cnt ?? 0)];
  }

  private pageSql(byState: boolean): { items: string; count: string } {
    const key = byState ? 'state' : 'all';
    let sql = PAGE_SQL.get(this.repo.manager.connection.driver)?.get(key);
    if (sql === undefined) {
      const where = (qb: SelectQueryBuilder<HostEntity>) => (byState ? qb.where('h.state = :state', { state: 'enabled' }) : qb);
      const driver = this.repo.manager.connection.driver;
      const nParams = byState ? 1 : 0;
      const items =
        where(this.repo.createQueryBuilder('h')).orderBy('h.name', 'ASC').getQueryAndParameters()[0] +
        ` LIMIT ${driver.createParameter('take', nParams)} OFFSET ${driver.createParameter('skip', nParams + 1)}`;
      const count = where(this.repo.createQueryBuilder('h').select('COUNT(*)', 'cnt')).getQueryAndParameters()[0];
      sql = { items, count };
      const byKey = PAGE_SQL.get(driver) ?? new Map<string, { items: string; count: string }>();
      byKey.set(key, sql);
      PAGE_SQL.set(driver, byKey);
    }
    return sql;
  }

  /** A raw `h_<column>` row as the entity, through each column's type conversion and transformer. */
  private hydrate(row: Record<string, unknown>): HostEntity {
    const driver = this.repo.manager.connection.driver;
    const host = this.repo.create();
    for (const { rowKey, column } of this.rowColumns()) {
      column.setEntityValue(host, driver.prepareHydratedValue(row[rowKey], column));
    }
    return host;
  }

  /** Each column with its key in a raw page row, built once: the keys were rebuilt for every cell. */
  private rowColumns(): readonly RowColumn[] {
    const metadata = this.repo.metadata;
    let columns = ROW_COLUMNS.get(metadata);
    if (columns === undefined) {
      columns = metadata.columns.map((column) => ({ rowKey: `h_${column.databaseName}`, column }));
      ROW_COLUMNS.set(metadata, columns);
    }
    return columns;
  }

  existsByName(name: string): Promise<boolean> {
    return this.repo.existsBy({ name });
  }

  existsById(id: string): Promise<boolean> {
    return this.repo.existsBy({ id });
  }

  insert(fields: HostFields): Promise<HostEntity> {
    return this.repo.save(this.repo.create(fields));
  }

  /** Applies the patch to the loaded host and saves it; returns the saved host. */
  save(host: HostEntity, patch: HostPatch = {}): Promise<HostEntity> {
    return this.repo.save(this.repo.merge(host, patch));
  }

  async update(id: string, patch: HostPatch): Promise<void> {
    await this.repo.update({ id }, patch);
  }

  async setState(id: string, state: HostState): Promise<void> {
    await this.repo.update({ id }, { state });
  }

  async setAgentState(id: string, agentState: AgentState, agentLastSeenAt: Date | null): Promise<void> {
    await this.repo.update({ id }, agentLastSeenAt ? { agentState, agentLastSeenAt } : { agentState });
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }

  /** Seals agent tokens stored in plain text (before sealing existed); returns how many. */
  async sealPlainAgentTokens(): Promise<number> {
    // Raw rows: the column transformer would hide which values are still plain.
    const rows = await this.repo
      .createQueryBuilder('h')
      .select('h.id', 'id')
      .addSelect('h.agent_token', 'token')
      .where('h.agent_token IS NOT NULL')
      .andWhere('h.agent_token NOT LIKE :sealed', { sealed: `${SEALED_PREFIX}%` })
      .getRawMany<{ id: string; token: string }>();
    for (const row of rows) await this.repo.update({ id: row.id }, { agentToken: row.token });
    return rows.length;
  }
}
