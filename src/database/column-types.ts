import type { QueryRunner, TableColumnOptions } from 'typeorm';

/** Column helpers whose SQL type differs between SQLite and PostgreSQL. */
export function timestampColumn(runner: QueryRunner, name: string): TableColumnOptions {
  const postgres = runner.connection.options.type === 'postgres';
  return {
    name,
    type: postgres ? 'timestamp' : 'datetime',
    default: postgres ? 'now()' : "(datetime('now'))",
    isNullable: false,
  };
}

export function idColumn(name = 'id'): TableColumnOptions {
  return { name, type: 'varchar', length: '36', isPrimary: true };
}

/** A nullable timestamp, or a required one without default when `required`. */
export function dateColumn(runner: QueryRunner, name: string, required = false): TableColumnOptions {
  return { name, type: runner.connection.options.type === 'postgres' ? 'timestamp' : 'datetime', isNullable: !required };
}

export function doubleColumn(name: string, required = false): TableColumnOptions {
  return { name, type: 'double precision', isNullable: !required };
}

export function serialIdColumn(): TableColumnOptions {
  return { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
}
