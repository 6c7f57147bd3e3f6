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
