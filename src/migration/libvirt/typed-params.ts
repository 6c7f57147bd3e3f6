/** A libvirt typed-parameter list as the addon returns it: libvirt's field names, JS values. */
export type TypedParams = Readonly<Record<string, number | string | boolean>>;

/** One migration parameter as the addon takes it; `type` picks the virTypedParameter type. */
export interface TypedParamSpec {
  readonly field: string;
  readonly type: 'string' | 'int' | 'uint' | 'ullong';
  readonly value: string | number;
}

/** libvirt's `memory_dirty_rate` -> `memoryDirtyRate`; dots too (`auto_converge.initial` -> `autoConvergeInitial`). */
export function camelCaseField(field: string): string {
  return field.replace(/[_.]([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

export function numberParam(params: TypedParams, field: string): number | undefined {
  const value = params[field];
  return typeof value === 'number' ? value : undefined;
}

export function stringParam(params: TypedParams, field: string): string | undefined {
  const value = params[field];
  return typeof value === 'string' ? value : undefined;
}
