import type { ColumnOptions } from 'typeorm';

/** PostgreSQL returns numeric types as strings; every driver gives back numbers from here. */
export function numberColumn(name: string, options: { nullable?: boolean } = {}): ColumnOptions {
  return {
    name,
    type: 'double precision',
    nullable: options.nullable ?? true,
    transformer: {
      to: (v: number | null | undefined) => v,
      from: (v: string | number | null) => (v === null || v === undefined ? null : Number(v)),
    },
  };
}
