import type { Transaction } from './transactions';

/**
 * Serialises one kind of decision across replicas: a PostgreSQL transaction-level advisory lock, held until
 * the transaction ends (commit or rollback), so a crash mid-way frees it. SQLite has one process, whose
 * transactions `Transactions.run` already runs one at a time.
 */
export async function advisoryXactLock(tx: Transaction, classId: number, name: string): Promise<void> {
  if (tx.manager.connection.options.type !== 'postgres') return;
  await tx.manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [classId, name]);
}

/** Class ids of the transaction-level locks (distinct from the session-level leader and drain keys). */
export const XACT_LOCK = {
  /** The cluster-wide migration queue's admission. */
  queue: 7_356_010,
  /** A destination host's capacity: reservations are checked and inserted under it. */
  hostCapacity: 7_356_011,
} as const;
