/** Column options for a nullable double; typed structurally so this helper needs no TypeORM import. */
export interface NumberColumnOptions {
  name: string;
  type: 'double precision';
  nullable: boolean;
  transformer: { to: (v: number | null | undefined) => number | null | undefined; from: (v: string | number | null) => number | null };
}

/** PostgreSQL returns numeric types as strings; every driver gives back numbers from here. */
export function numberColumn(name: string, options: { nullable?: boolean } = {}): NumberColumnOptions {
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
