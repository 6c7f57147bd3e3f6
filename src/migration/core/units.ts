// Binary units: libvirt reports bytes, flavors are in MiB, Nova's timeouts are per GiB.
export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

export function mibToBytes(mib: number): number {
  return mib * MiB;
}

export function bytesToGiB(bytes: number): number {
  return bytes / GiB;
}
