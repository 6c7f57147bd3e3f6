import { randomUUID } from 'node:crypto';

/** Ids are made by livemig, so SQLite and PostgreSQL store them the same way. */
export const newId = (): string => randomUUID();
