/** Why a migration may not start; the API answers 409 (state) or 422 (request) with it. */
export type PrecheckName =
  'instance' | 'destination' | 'same-host' | 'host-state' | 'agent' | 'capacity' | 'shared-storage' | 'cpu' | 'libvirt' | 'domain';

export class PrecheckRefusal extends Error {
  override readonly name = 'PrecheckRefusal';

  constructor(
    readonly check: PrecheckName,
    readonly reason: string,
    /** 409: the world is not in a state that allows it; 422: the request itself cannot work. */
    readonly status: 409 | 422 = 409,
    readonly details: Record<string, unknown> = {},
  ) {
    super(`pre-check ${check} refused: ${reason}`);
  }
}
