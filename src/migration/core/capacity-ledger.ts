// Working copy of host usage while a plan is built, so each placement sees the moves planned before it.
import type { HostCapacity } from './types';

export interface CapacityClaim {
  readonly hostId: string;
  readonly vcpus: number;
  readonly memoryMiB: number;
}

export class CapacityLedger {
  private readonly byId = new Map<string, HostCapacity>();

  /** pendingClaims: destinations already promised to migrations in flight elsewhere. */
  constructor(hosts: readonly HostCapacity[], pendingClaims: readonly CapacityClaim[] = []) {
    for (const host of hosts) this.byId.set(host.id, host);
    for (const claim of pendingClaims) this.claim(claim);
  }

  get(hostId: string): HostCapacity | undefined {
    return this.byId.get(hostId);
  }

  hosts(): HostCapacity[] {
    return [...this.byId.values()];
  }

  /** The destination counts the instance from the start; the source keeps it until it leaves. */
  claim(claim: CapacityClaim): void {
    this.adjust(claim.hostId, claim.vcpus, claim.memoryMiB);
  }

  release(claim: CapacityClaim): void {
    this.adjust(claim.hostId, -claim.vcpus, -claim.memoryMiB);
  }

  private adjust(hostId: string, vcpus: number, memoryMiB: number): void {
    const host = this.byId.get(hostId);
    if (!host) throw new RangeError(`unknown host ${hostId}`);
    this.byId.set(hostId, { ...host, usedVcpus: host.usedVcpus + vcpus, usedMemoryMiB: host.usedMemoryMiB + memoryMiB });
  }
}
