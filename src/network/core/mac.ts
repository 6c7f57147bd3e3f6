// MAC addresses the way Neutron makes them. Pure.

/** Neutron's default base_mac for ports. */
export const PORT_MAC_PREFIX = 'fa:16:3e';
/** Neutron's default dvr_base_mac for DVR host MACs. */
export const DVR_MAC_PREFIX = 'fa:16:3f';

const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/;

export function isUnicastMac(value: string): boolean {
  return MAC.test(value) && (parseInt(value.slice(0, 2), 16) & 1) === 0;
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

/** `fa:16:3e:xx:xx:xx` from three bytes the caller draws. */
export function portMac(bytes: readonly [number, number, number]): string {
  return `${PORT_MAC_PREFIX}:${bytes.map((b) => hex(b & 0xff)).join(':')}`;
}

/** FNV-1a: a stable hash, so the same host gets the same DVR MAC on every compile. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The host's DVR MAC (`fa:16:3f:…`), derived from its id. */
export function dvrHostMac(hostId: string): string {
  const h = fnv1a(hostId);
  return `${DVR_MAC_PREFIX}:${hex((h >>> 16) & 0xff)}:${hex((h >>> 8) & 0xff)}:${hex(h & 0xff)}`;
}
