import type { EntityManager } from 'typeorm';
import { NetworkRevisionEntity } from './network-revision.entity';

/** Bumps the desired-state revision in one statement (atomic on SQLite and PostgreSQL) and returns the new value. */
export async function bumpNetworkRevision(manager: EntityManager): Promise<number> {
  await manager.increment(NetworkRevisionEntity, { id: 1 }, 'revision', 1);
  return readNetworkRevision(manager);
}

export async function readNetworkRevision(manager: EntityManager): Promise<number> {
  const row = await manager.findOneBy(NetworkRevisionEntity, { id: 1 });
  return row?.revision ?? 0;
}
