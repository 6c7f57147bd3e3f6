import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/livemig-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export function dataSourceOptions(db: DatabaseConfig): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, migrationsRun: false, logging: false } as const;
  if (db.type === 'postgres') {
    return { ...common, type: 'postgres', url: db.url, migrationsTransactionMode: 'each', extra: { max: 20 } };
  }
  mkdirSync(dirname(db.path), { recursive: true });
  return { ...common, type: 'better-sqlite3', database: db.path, enableWAL: true, migrationsTransactionMode: 'each' };
}
