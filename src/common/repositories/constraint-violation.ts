import { QueryFailedError } from 'typeorm';

/** True when the database refused a write for a unique or foreign-key constraint. */
export function isConstraintViolation(err: unknown): err is QueryFailedError {
  if (!(err instanceof QueryFailedError)) return false;
  const driverError = err.driverError as { code?: string } | undefined;
  const code = driverError?.code ?? '';
  // PostgreSQL: 23505 unique, 23503 foreign key; better-sqlite3: SQLITE_CONSTRAINT_*.
  return code === '23505' || code === '23503' || code.startsWith('SQLITE_CONSTRAINT');
}
